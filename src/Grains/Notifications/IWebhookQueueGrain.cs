using Dagen.Grains.Delivery;
using Orleans.Concurrency;

namespace Dagen.Grains.Notifications;

/// <summary>
/// A notification channel's Incoming Webhook deliveries, keyed by the channel id: in order, about one per
/// second, 429s waited out, 5xx and time-outs retried with back-off, permanent failures reported to the channel.
/// </summary>
[Alias("dagen.notifications.webhook-queue")]
public interface IWebhookQueueGrain : IGrainWithStringKey
{
    /// <summary>Queues the notification (checked with <see cref="NotificationCheck"/>) and returns its id.</summary>
    [Alias("enqueue"), AlwaysInterleave]
    Task<string> EnqueueAsync(Notification notification);

    [Alias("status"), AlwaysInterleave]
    Task<SendQueueStatus> GetStatusAsync();
}
