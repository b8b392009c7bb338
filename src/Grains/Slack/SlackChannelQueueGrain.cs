using Dagen.Grains.Channels;
using Dagen.Grains.Delivery;
using Dagen.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Dagen.Grains.Slack;

/// <summary>
/// Sends a Slack channel's queued replies and reactions, one call per turn, paced, with 429s waited out and
/// failures retried a bounded number of times. The bot token is read from the notification channel for each
/// call. Reactions go first, messages keep their order. Each queued call is stored as a record of its own, so
/// queuing one costs one small write however many wait.
/// </summary>
internal sealed partial class SlackChannelQueueGrain(
    [PersistentState("queue", GrainStorage.Default)] IPersistentState<SlackChannelQueueState> state,
    ISlackWebApi slack,
    IOptions<SlackOptions> options,
    TimeProvider clock,
    ILogger<SlackChannelQueueGrain> logger) : PacedQueueGrain(clock, logger), ISlackChannelQueueGrain
{
    private const string CallRecordPrefix = "queue-call";

    private readonly List<SlackCall> _reactions = [];
    private readonly List<SlackCall> _messages = [];

    private QueueRecords<SlackCall> _records = null!;
    private Task _queuing = Task.CompletedTask;

    private SlackChannelQueueState Queue => state.State;

    protected override bool HasWork => _reactions.Count > 0 || _messages.Count > 0;

    protected override DateTimeOffset NotBefore => Queue.NotBefore;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Default);
        _records = new QueueRecords<SlackCall>(
            storage, this.GetGrainId(), CallRecordPrefix, Queue.Position, PersistAsync);
        foreach (var call in await _records.LoadAsync(cancellationToken))
        {
            ListFor(call.Kind).Add(call);
        }

        await MoveEarlierVersionsCallsAsync();
        if (HasWork)
        {
            LogLoaded(Key, _reactions.Count, _messages.Count);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task EnqueueMessagesAsync(string threadTs, IReadOnlyList<string> texts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(threadTs);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0 || texts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Every message needs text; an empty one cannot be posted.", nameof(texts));
        }

        var now = Clock.GetUtcNow();
        var calls = texts.Select(text => NewCall(SlackCallKind.Message, threadTs, text, now)).ToList();
        await AddAsync(calls);
        LogQueued(Key, texts.Count, _messages.Count);
        ScheduleNext();
    }

    public async Task EnqueueReactionAsync(string messageTs, string emoji)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageTs);
        ArgumentException.ThrowIfNullOrWhiteSpace(emoji);

        await AddAsync([NewCall(SlackCallKind.Reaction, messageTs, emoji, Clock.GetUtcNow())]);
        LogReactionQueued(Key, emoji);
        ScheduleNext();
    }

    public Task<SendQueueStatus> GetStatusAsync() =>
        Task.FromResult(Status(_reactions.Count + _messages.Count, Queue.Sent, Queue.GivenUp));

    protected override Task WriteStateAsync() => state.WriteStateAsync();

    protected override async Task SendNextAsync(CancellationToken cancellationToken)
    {
        var call = _reactions.Count > 0 ? _reactions[0] : _messages[0];
        var (channelId, slackChannel) = SlackChannelQueueKey.Parse(Key);

        var token = await GrainFactory.GetGrain<INotificationChannelGrain>(channelId).GetBotTokenAsync();
        if (string.IsNullOrEmpty(token))
        {
            await DropAllAsync();
            return;
        }

        var result = call.Kind == SlackCallKind.Reaction
            ? await slack.AddReactionAsync(token, slackChannel, call.Ts, call.Content, cancellationToken)
            : await slack.PostMessageAsync(token, slackChannel, call.Content, call.Ts, cancellationToken);
        await RecordAsync(call, result);
    }

    private async Task RecordAsync(SlackCall call, SlackApiResult result)
    {
        var now = Clock.GetUtcNow();
        var settings = options.Value;
        switch (result.Outcome)
        {
            case SlackCallOutcome.Ok:
                await RemoveAsync(call);
                Queue.Sent++;
                Queue.NotBefore = now + settings.MessageInterval;
                LogSent(Key, result.Method, call.Sequence);
                break;

            case SlackCallOutcome.RateLimited:
                call.RateLimitedAttempts++;
                var wait = Backoff.AfterRateLimit(result.RetryAfter, settings);
                Queue.NotBefore = now + wait;
                LogRateLimited(Key, result.Method, wait, result.RetryAfter is not null);
                if (call.RateLimitedAttempts >= settings.MaxRateLimitedAttempts)
                {
                    await GiveUpAsync(call, result with { Error = "ratelimited" });
                }
                else
                {
                    await _records.SaveAsync(call);
                }

                break;

            // Known shortcoming: Slack has no idempotency key, so a post it took but answered after the time-out
            // is sent again and shows twice.
            case SlackCallOutcome.Transient when call.FailedAttempts + 1 < settings.MaxAttempts:
                call.FailedAttempts++;
                var delay = Backoff.AfterFailure(call.FailedAttempts, settings);
                Queue.NotBefore = now + delay;
                LogRetrying(Key, result.Method, result.Error, call.FailedAttempts, delay);
                await _records.SaveAsync(call);
                break;

            default:
                Queue.NotBefore = now + settings.MessageInterval;
                await GiveUpAsync(call, result);
                break;
        }
    }

    private async Task GiveUpAsync(SlackCall call, SlackApiResult result)
    {
        await RemoveAsync(call);
        Queue.GivenUp++;
        var fix = SlackFixes.ForWebApi(result.Error, result.Needed);
        if (result.Outcome == SlackCallOutcome.Transient)
        {
            LogGaveUp(Key, result.Method, result.Error, call.FailedAttempts + 1, fix);
        }
        else
        {
            LogRefused(Key, result.Method, result.Error, fix);
        }
    }

    /// <summary>Without a bot token nothing queued can be sent: it is dropped at once, in one log line.</summary>
    private async Task DropAllAsync()
    {
        var calls = _reactions.Concat(_messages).ToList();
        Queue.GivenUp += calls.Count;
        LogNoBotToken(Key, calls.Count, SlackFixes.ForWebApi(SlackFixes.NoBotToken));
        foreach (var call in calls)
        {
            await RemoveAsync(call);
        }
    }

    /// <summary>
    /// Stores the calls, then queues them in the order they were numbered: a call is never sent before it is
    /// stored, and calls queued side by side keep their order.
    /// </summary>
    private Task AddAsync(IReadOnlyList<SlackCall> calls)
    {
        // Numbered before the first await; queued only after every add numbered earlier has been stored (or has
        // failed), so a call whose record was stored sooner is not sent ahead of one numbered before it.
        var previous = _queuing;
        var stored = _records.AddAsync(calls);
        _queuing = QueueInOrderAsync(previous, stored, calls);
        return _queuing;
    }

    private async Task QueueInOrderAsync(Task previous, Task stored, IReadOnlyList<SlackCall> calls)
    {
        await previous.ConfigureAwait(
            ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        await stored;
        foreach (var call in calls)
        {
            var list = ListFor(call.Kind);
            var index = list.FindLastIndex(other => other.Sequence < call.Sequence) + 1;
            list.Insert(index, call);
        }
    }

    /// <summary>Takes a call off the queue; a record that cannot be removed means the call may go out again.</summary>
    private async Task RemoveAsync(SlackCall call)
    {
        ListFor(call.Kind).Remove(call);
        try
        {
            await _records.RemoveAsync(call);
        }
        catch (Exception exception)
        {
            LogRecordNotRemoved(Key, call.Sequence, exception);
        }
    }

    /// <summary>
    /// Calls an earlier version kept in the queue's own record become records of their own. A move cut short
    /// after storing the records but before the queue's record was written without the calls is finished
    /// without storing them again: a call already loaded from its record is not moved a second time.
    /// </summary>
    private async Task MoveEarlierVersionsCallsAsync()
    {
        var earlier = (Queue.Reactions ?? []).Concat(Queue.Messages ?? []).ToList();
        if (earlier.Count == 0)
        {
            return;
        }

        var loaded = _reactions.Concat(_messages).Select(MoveKey).ToList();
        var toMove = earlier.Where(call => !loaded.Remove(MoveKey(call))).ToList();
        if (toMove.Count > 0)
        {
            await AddAsync(toMove);
        }

        Queue.Reactions = null;
        Queue.Messages = null;
        await PersistAsync();
        LogMovedEarlierCalls(Key, toMove.Count);
    }

    private static (SlackCallKind, string, string, DateTimeOffset, int, int) MoveKey(SlackCall call) =>
        (call.Kind, call.Ts, call.Content, call.QueuedAt, call.FailedAttempts, call.RateLimitedAttempts);

    private List<SlackCall> ListFor(SlackCallKind kind) => kind == SlackCallKind.Reaction ? _reactions : _messages;

    private static SlackCall NewCall(SlackCallKind kind, string ts, string content, DateTimeOffset now) => new()
    {
        Kind = kind,
        Ts = ts,
        Content = content,
        QueuedAt = now,
    };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Slack queue {Key}: {Reactions} reactions and {Messages} messages still to send")]
    private partial void LogLoaded(string key, int reactions, int messages);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Slack queue {Key}: {Count} calls queued by an earlier version moved to records of their own")]
    private partial void LogMovedEarlierCalls(string key, int count);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Slack queue {Key}: call {Sequence} is done but its record could not be removed; "
            + "it may be sent again after a restart")]
    private partial void LogRecordNotRemoved(string key, long sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack queue {Key}: {Count} messages queued, {Waiting} waiting")]
    private partial void LogQueued(string key, int count, int waiting);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack queue {Key}: reaction :{Emoji}: queued")]
    private partial void LogReactionQueued(string key, string emoji);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack queue {Key}: {Method} done for call {Sequence}")]
    private partial void LogSent(string key, string method, long sequence);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Slack queue {Key}: {Method} rate-limited; waiting {Wait} (Retry-After given: {Given})")]
    private partial void LogRateLimited(string key, string method, TimeSpan wait, bool given);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Slack queue {Key}: {Method} failed ({Error}), attempt {Attempt}; next try in {Delay}")]
    private partial void LogRetrying(string key, string method, string? error, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Slack queue {Key}: {Method} still failing ({Error}) after {Attempts} attempts; dropped. {Fix}")]
    private partial void LogGaveUp(string key, string method, string? error, int attempts, string fix);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Slack queue {Key}: Slack refused {Method} with {Error}. Fix: {Fix}")]
    private partial void LogRefused(string key, string method, string? error, string fix);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Slack queue {Key}: the channel has no bot token; {Count} queued calls dropped. Fix: {Fix}")]
    private partial void LogNoBotToken(string key, int count, string fix);
}
