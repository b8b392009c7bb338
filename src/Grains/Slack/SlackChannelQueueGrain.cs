using Dagen.Grains.Channels;
using Dagen.Grains.Delivery;
using Dagen.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Slack;

/// <summary>
/// Sends a Slack channel's queued replies and reactions, one call per turn, paced, with 429s waited out and
/// failures retried a bounded number of times. The bot token is read from the notification channel for each
/// call. Reactions go first, messages keep their order.
/// </summary>
internal sealed partial class SlackChannelQueueGrain(
    [PersistentState("queue", GrainStorage.Default)] IPersistentState<SlackChannelQueueState> state,
    ISlackWebApi slack,
    IOptions<SlackOptions> options,
    TimeProvider clock,
    ILogger<SlackChannelQueueGrain> logger) : PacedQueueGrain(clock, logger), ISlackChannelQueueGrain
{
    private SlackChannelQueueState Queue => state.State;

    protected override bool HasWork => Queue.Reactions.Count > 0 || Queue.Messages.Count > 0;

    protected override DateTimeOffset NotBefore => Queue.NotBefore;

    public async Task EnqueueMessagesAsync(string threadTs, IReadOnlyList<string> texts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(threadTs);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0 || texts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Every message needs text; an empty one cannot be posted.", nameof(texts));
        }

        var now = Clock.GetUtcNow();
        foreach (var text in texts)
        {
            Queue.Messages.Add(NewCall(SlackCallKind.Message, threadTs, text, now));
        }

        await PersistAsync();
        LogQueued(Key, texts.Count, Queue.Messages.Count);
        ScheduleNext();
    }

    public async Task EnqueueReactionAsync(string messageTs, string emoji)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageTs);
        ArgumentException.ThrowIfNullOrWhiteSpace(emoji);

        Queue.Reactions.Add(NewCall(SlackCallKind.Reaction, messageTs, emoji, Clock.GetUtcNow()));
        await PersistAsync();
        LogReactionQueued(Key, emoji);
        ScheduleNext();
    }

    public Task<SendQueueStatus> GetStatusAsync() =>
        Task.FromResult(Status(Queue.Reactions.Count + Queue.Messages.Count, Queue.Sent, Queue.GivenUp));

    protected override Task WriteStateAsync() => state.WriteStateAsync();

    protected override async Task SendNextAsync(CancellationToken cancellationToken)
    {
        var call = Queue.Reactions.Count > 0 ? Queue.Reactions[0] : Queue.Messages[0];
        var (channelId, slackChannel) = SlackChannelQueueKey.Parse(Key);

        var token = await GrainFactory.GetGrain<INotificationChannelGrain>(channelId).GetBotTokenAsync();
        if (string.IsNullOrEmpty(token))
        {
            DropAll();
            return;
        }

        var result = call.Kind == SlackCallKind.Reaction
            ? await slack.AddReactionAsync(token, slackChannel, call.Ts, call.Content, cancellationToken)
            : await slack.PostMessageAsync(token, slackChannel, call.Content, call.Ts, cancellationToken);
        Record(call, result);
    }

    private void Record(SlackCall call, SlackApiResult result)
    {
        var now = Clock.GetUtcNow();
        var settings = options.Value;
        switch (result.Outcome)
        {
            case SlackCallOutcome.Ok:
                Remove(call);
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
                    GiveUp(call, result with { Error = "ratelimited" });
                }

                break;

            // Known shortcoming: Slack has no idempotency key, so a post it took but answered after the time-out
            // is sent again and shows twice.
            case SlackCallOutcome.Transient when call.FailedAttempts + 1 < settings.MaxAttempts:
                call.FailedAttempts++;
                var delay = Backoff.AfterFailure(call.FailedAttempts, settings);
                Queue.NotBefore = now + delay;
                LogRetrying(Key, result.Method, result.Error, call.FailedAttempts, delay);
                break;

            default:
                Queue.NotBefore = now + settings.MessageInterval;
                GiveUp(call, result);
                break;
        }
    }

    private void GiveUp(SlackCall call, SlackApiResult result)
    {
        Remove(call);
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
    private void DropAll()
    {
        var count = Queue.Reactions.Count + Queue.Messages.Count;
        Queue.Reactions.Clear();
        Queue.Messages.Clear();
        Queue.GivenUp += count;
        LogNoBotToken(Key, count, SlackFixes.ForWebApi(SlackFixes.NoBotToken));
    }

    private void Remove(SlackCall call)
    {
        var list = call.Kind == SlackCallKind.Reaction ? Queue.Reactions : Queue.Messages;
        list.Remove(call);
    }

    private SlackCall NewCall(SlackCallKind kind, string ts, string content, DateTimeOffset now) => new()
    {
        Sequence = ++Queue.LastSequence,
        Kind = kind,
        Ts = ts,
        Content = content,
        QueuedAt = now,
    };

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
