using Dagen.Grains.Channels;
using Dagen.Grains.Delivery;
using Dagen.Grains.Hosting;
using Dagen.Grains.Slack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Notifications;

/// <summary>
/// Delivers a channel's notifications to its Incoming Webhook, one post per turn, paced. The URL is read from the
/// channel for each post. Every outcome that ends a notification is reported back to the channel: a delivery
/// clears its <c>LastError</c>, a permanent failure sets it with the fix.
/// </summary>
internal sealed partial class WebhookQueueGrain(
    [PersistentState("webhook-queue", GrainStorage.Default)] IPersistentState<WebhookQueueState> state,
    ISlackWebhookClient webhook,
    IOptions<SlackOptions> options,
    TimeProvider clock,
    ILogger<WebhookQueueGrain> logger) : PacedQueueGrain(clock, logger), IWebhookQueueGrain
{
    private WebhookQueueState Queue => state.State;

    protected override bool HasWork => Queue.Notifications.Count > 0;

    protected override DateTimeOffset NotBefore => Queue.NotBefore;

    private INotificationChannelGrain Channel => GrainFactory.GetGrain<INotificationChannelGrain>(Key);

    public async Task<string> EnqueueAsync(Notification notification)
    {
        NotificationCheck.ThrowIfInvalid(notification);

        var id = Guid.NewGuid().ToString("N");
        var now = Clock.GetUtcNow();

        // Blocks carry their own layout and go as one message; plain text is split under Slack's limit.
        var texts = string.IsNullOrWhiteSpace(notification.BlocksJson)
            ? SlackTextSplitter.Split(notification.Text).Where(text => !string.IsNullOrWhiteSpace(text)).ToList()
            : [notification.Text];
        foreach (var text in texts)
        {
            Queue.Notifications.Add(new QueuedNotification
            {
                Id = id,
                Text = text,
                BlocksJson = string.IsNullOrWhiteSpace(notification.BlocksJson) ? null : notification.BlocksJson,
                QueuedAt = now,
            });
        }

        await PersistAsync();
        LogQueued(Key, id, texts.Count, Queue.Notifications.Count);
        ScheduleNext();
        return id;
    }

    public Task<SendQueueStatus> GetStatusAsync() =>
        Task.FromResult(Status(Queue.Notifications.Count, Queue.Delivered, Queue.GivenUp));

    protected override Task WriteStateAsync() => state.WriteStateAsync();

    protected override async Task SendNextAsync(CancellationToken cancellationToken)
    {
        var notification = Queue.Notifications[0];

        var url = await Channel.GetWebhookUrlAsync();
        if (string.IsNullOrWhiteSpace(url))
        {
            await DropAllAsync("no_webhook_url");
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            await DropAllAsync("invalid_webhook_url");
            return;
        }

        var result = await webhook.PostAsync(uri, notification.Text, notification.BlocksJson, cancellationToken);
        await RecordAsync(notification, result);
    }

    private async Task RecordAsync(QueuedNotification notification, WebhookDeliveryResult result)
    {
        var now = Clock.GetUtcNow();
        var settings = options.Value;
        switch (result.Outcome)
        {
            case SlackCallOutcome.Ok:
                Queue.Notifications.Remove(notification);
                Queue.Delivered++;
                Queue.NotBefore = now + settings.MessageInterval;
                LogDelivered(Key, notification.Id);
                await ReportAsync(new WebhookOutcome { Delivered = true, At = now });
                break;

            case SlackCallOutcome.RateLimited:
                notification.RateLimitedAttempts++;
                var wait = Backoff.AfterRateLimit(result.RetryAfter, settings);
                Queue.NotBefore = now + wait;
                LogRateLimited(Key, notification.Id, wait, result.RetryAfter is not null);
                if (notification.RateLimitedAttempts >= settings.MaxRateLimitedAttempts)
                {
                    await GiveUpAsync(notification, "ratelimited", "ratelimited", now);
                }

                break;

            case SlackCallOutcome.Transient when notification.FailedAttempts + 1 < settings.MaxAttempts:
                notification.FailedAttempts++;
                var delay = Backoff.AfterFailure(notification.FailedAttempts, settings);
                Queue.NotBefore = now + delay;
                LogRetrying(Key, notification.Id, result.Error, notification.FailedAttempts, delay);
                break;

            case SlackCallOutcome.Transient:
                Queue.NotBefore = now + settings.MessageInterval;
                var attempts = notification.FailedAttempts + 1;
                await GiveUpAsync(notification, $"{result.Error} after {attempts} attempts", "gave_up", now);
                break;

            default:
                Queue.NotBefore = now + settings.MessageInterval;
                var error = result.Error ?? $"http_{result.StatusCode}";
                await GiveUpAsync(notification, error, error, now);
                break;
        }
    }

    private async Task GiveUpAsync(QueuedNotification notification, string error, string kind, DateTimeOffset now)
    {
        Queue.Notifications.Remove(notification);
        Queue.GivenUp++;
        var fix = SlackFixes.ForWebhook(kind);
        LogRefused(Key, notification.Id, error, fix);
        await ReportAsync(new WebhookOutcome { Delivered = false, Error = error, Fix = fix, At = now });
    }

    /// <summary>Nothing can be delivered without a usable URL: the queue is dropped at once, in one log line.</summary>
    private async Task DropAllAsync(string error)
    {
        var count = Queue.Notifications.Count;
        Queue.Notifications.Clear();
        Queue.GivenUp += count;
        var fix = SlackFixes.ForWebhook(error);
        LogDroppedAll(Key, count, error, fix);
        await ReportAsync(new WebhookOutcome { Delivered = false, Error = error, Fix = fix, At = Clock.GetUtcNow() });
    }

    private async Task ReportAsync(WebhookOutcome outcome)
    {
        try
        {
            await Channel.RecordWebhookOutcomeAsync(outcome);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReportFailed(Key, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Webhook queue {Key}: notification {NotificationId} queued as {Parts} messages, {Waiting} waiting")]
    private partial void LogQueued(string key, string notificationId, int parts, int waiting);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook queue {Key}: notification {NotificationId} delivered")]
    private partial void LogDelivered(string key, string notificationId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook queue {Key}: notification {NotificationId} rate-limited; waiting {Wait} (given: {Given})")]
    private partial void LogRateLimited(string key, string notificationId, TimeSpan wait, bool given);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook queue {Key}: notification {NotificationId} failed ({Error}), attempt {Attempt}; "
            + "next try in {Delay}")]
    private partial void LogRetrying(string key, string notificationId, string? error, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook queue {Key}: notification {NotificationId} not delivered: {Error}. Fix: {Fix}")]
    private partial void LogRefused(string key, string notificationId, string error, string fix);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook queue {Key}: {Count} queued notifications dropped: {Error}. Fix: {Fix}")]
    private partial void LogDroppedAll(string key, int count, string error, string fix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook queue {Key}: the outcome could not be reported")]
    private partial void LogReportFailed(string key, Exception exception);
}
