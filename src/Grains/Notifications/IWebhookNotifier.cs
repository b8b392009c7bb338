using Dagen.Grains.Channels;

namespace Dagen.Grains.Notifications;

/// <summary>
/// Delivers notifications to a channel's Incoming Webhook: in order, paced, retried on 429, 5xx and
/// time-outs. Permanent failures are reported back to the channel with
/// <see cref="INotificationChannelGrain.RecordWebhookOutcomeAsync"/>. The URL is read from the
/// channel at send time, so no copy of it is queued or stored elsewhere.
/// </summary>
public interface IWebhookNotifier
{
    /// <summary>Queues the notification and returns its id.</summary>
    Task<string> EnqueueAsync(string channelId, Notification notification);
}
