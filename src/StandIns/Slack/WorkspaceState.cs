using System.Globalization;

namespace Dagen.StandIns.Slack;

/// <summary>
/// The one channel of the local workspace and everything that happened in it. Thread-safe; every change
/// raises <see cref="Version"/> and wakes whoever waits in <see cref="WaitForChangeAsync"/>.
/// </summary>
internal sealed class WorkspaceState(LocalSlackOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<MessageEntry> _messages = [];
    private readonly List<EventDeliveryRecord> _deliveries = [];
    private readonly List<RecordedApiCall> _apiCalls = [];
    private readonly Dictionary<string, Queue<SlackFault>> _faults = new(StringComparer.Ordinal);
    private readonly HashSet<string> _scopes = [.. options.BotScopes];
    private TaskCompletionSource _changed = NewSignal();
    private long _version;
    private long _lastMicros;
    private Uri? _eventsUrl = options.EventsUrl;
    private bool? _eventsUrlVerified;
    private string? _verificationDetail;
    private bool _botInChannel = options.BotInChannel;

    public Uri? EventsUrl
    {
        get { lock (_lock) { return _eventsUrl; } }
    }

    public bool BotInChannel
    {
        get { lock (_lock) { return _botInChannel; } }
    }

    public long Version => Interlocked.Read(ref _version);

    public bool HasScope(string scope)
    {
        lock (_lock)
        {
            return _scopes.Contains(scope);
        }
    }

    public string Scopes()
    {
        lock (_lock)
        {
            return string.Join(',', _scopes.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>A new message ts: Slack's <c>seconds.micros</c>, unique and increasing.</summary>
    public string NextTs()
    {
        lock (_lock)
        {
            var micros = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
            _lastMicros = Math.Max(micros, _lastMicros + 1);
            return string.Create(
                CultureInfo.InvariantCulture, $"{_lastMicros / 1_000_000}.{_lastMicros % 1_000_000:D6}");
        }
    }

    public RecordedMessage Add(MessageEntry entry)
    {
        lock (_lock)
        {
            _messages.Add(entry);
            return Changed(entry.ToRecord());
        }
    }

    public RecordedMessage? Find(string ts)
    {
        lock (_lock)
        {
            return FindEntry(ts)?.ToRecord();
        }
    }

    /// <summary>Sets the note or event id of a message after the event went (or did not go) out.</summary>
    public void MarkEvent(string ts, string? eventId, string? note)
    {
        lock (_lock)
        {
            if (FindEntry(ts) is { } entry)
            {
                entry.EventId = eventId;
                entry.EventNote = note;
                Changed(0);
            }
        }
    }

    public ReactionOutcome AddReaction(string ts, string name, string userId)
    {
        lock (_lock)
        {
            if (FindEntry(ts) is not { } entry)
            {
                return ReactionOutcome.MessageNotFound;
            }

            if (!entry.Reactions.TryGetValue(name, out var users))
            {
                users = [];
                entry.Reactions[name] = users;
            }

            if (users.Contains(userId))
            {
                return ReactionOutcome.AlreadyReacted;
            }

            users.Add(userId);
            return Changed(ReactionOutcome.Added);
        }
    }

    public (UpdateOutcome Outcome, RecordedMessage? Message) Update(
        string ts, string userId, string text, string? blocks)
    {
        lock (_lock)
        {
            if (FindEntry(ts) is not { } entry)
            {
                return (UpdateOutcome.MessageNotFound, null);
            }

            if (entry.UserId != userId)
            {
                return (UpdateOutcome.NotAuthor, null);
            }

            entry.Text = text;
            entry.Warnings = MrkdwnCheck.Warnings(text);
            entry.Blocks = blocks ?? entry.Blocks;
            entry.EditedAt = time.GetUtcNow();
            return Changed((UpdateOutcome.Updated, entry.ToRecord()));
        }
    }

    /// <summary>The parent a reply goes under: a reply's ts leads to its own parent, as in Slack.</summary>
    public string? ThreadParent(string threadTs)
    {
        lock (_lock)
        {
            return FindEntry(threadTs) is { } entry ? entry.ThreadTs ?? entry.Ts : null;
        }
    }

    public void Record(EventDeliveryRecord delivery)
    {
        lock (_lock)
        {
            _deliveries.Add(delivery);
            Changed(0);
        }
    }

    public void Record(RecordedApiCall call)
    {
        lock (_lock)
        {
            _apiCalls.Add(call);
            Changed(0);
        }
    }

    public void SetEventsUrl(Uri? url, bool? verified, string? detail)
    {
        lock (_lock)
        {
            _eventsUrl = url;
            _eventsUrlVerified = verified;
            _verificationDetail = detail;
            Changed(0);
        }
    }

    public void SetBotInChannel(bool member)
    {
        lock (_lock)
        {
            _botInChannel = member;
            Changed(0);
        }
    }

    public void SetScopes(IEnumerable<string> scopes)
    {
        lock (_lock)
        {
            _scopes.Clear();
            _scopes.UnionWith(scopes.Select(s => s.Trim()).Where(s => s.Length > 0));
            Changed(0);
        }
    }

    public void InjectFault(string method, SlackFault fault)
    {
        lock (_lock)
        {
            if (!_faults.TryGetValue(method, out var queue))
            {
                queue = new Queue<SlackFault>();
                _faults[method] = queue;
            }

            queue.Enqueue(fault);
        }
    }

    public SlackFault? TakeFault(string method)
    {
        lock (_lock)
        {
            return _faults.TryGetValue(method, out var queue) && queue.TryDequeue(out var fault) ? fault : null;
        }
    }

    public WorkspaceSnapshot Snapshot(Uri webhookUrl)
    {
        lock (_lock)
        {
            return new WorkspaceSnapshot
            {
                Version = _version,
                App = new AppSettingsView(
                    _eventsUrl, _eventsUrlVerified, _verificationDetail, _botInChannel,
                    [.. _scopes.Order(StringComparer.Ordinal)], webhookUrl),
                Messages = [.. _messages.Select(m => m.ToRecord())],
                Deliveries = [.. _deliveries],
                ApiCalls = [.. _apiCalls],
            };
        }
    }

    /// <summary>Completes once <see cref="Version"/> is past <paramref name="seenVersion"/>.</summary>
    public Task WaitForChangeAsync(long seenVersion, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_lock)
        {
            if (_version > seenVersion)
            {
                return Task.CompletedTask;
            }

            signal = _changed.Task;
        }

        return signal.WaitAsync(cancellationToken);
    }

    private MessageEntry? FindEntry(string ts) => _messages.FirstOrDefault(m => m.Ts == ts);

    private T Changed<T>(T result)
    {
        _version++;
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
        return result;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// A message while it can still change (reactions, edits). Only <see cref="WorkspaceState"/> holds it.
/// </summary>
internal sealed class MessageEntry
{
    public required string Ts { get; init; }

    public string? ThreadTs { get; init; }

    public required string UserId { get; init; }

    public string? BotId { get; init; }

    public required string Text { get; set; }

    public required MessageSource Source { get; init; }

    public string? Blocks { get; set; }

    public DateTimeOffset PostedAt { get; init; }

    public DateTimeOffset? EditedAt { get; set; }

    public string? EventId { get; set; }

    public string? EventNote { get; set; }

    public IReadOnlyList<string> Warnings { get; set; } = [];

    /// <summary>Reaction name to the users who added it, in the order reactions were first added.</summary>
    public Dictionary<string, List<string>> Reactions { get; } = new(StringComparer.Ordinal);

    public RecordedMessage ToRecord() => new()
    {
        Ts = Ts,
        ThreadTs = ThreadTs,
        UserId = UserId,
        BotId = BotId,
        Text = Text,
        Source = Source,
        Blocks = Blocks,
        Reactions = [.. Reactions.Select(r => new RecordedReaction(r.Key, [.. r.Value]))],
        PostedAt = PostedAt,
        EditedAt = EditedAt,
        EventId = EventId,
        EventNote = EventNote,
        Warnings = Warnings,
    };
}

internal enum ReactionOutcome
{
    Added,
    AlreadyReacted,
    MessageNotFound,
}

internal enum UpdateOutcome
{
    Updated,
    NotAuthor,
    MessageNotFound,
}
