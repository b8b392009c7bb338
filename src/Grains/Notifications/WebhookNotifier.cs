namespace Dagen.Grains.Notifications;

/// <summary><see cref="IWebhookNotifier"/> through each channel's <see cref="IWebhookQueueGrain"/>.</summary>
internal sealed class WebhookNotifier(IGrainFactory grains) : IWebhookNotifier
{
    public Task<string> EnqueueAsync(string channelId, Notification notification)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        NotificationCheck.ThrowIfInvalid(notification);

        return grains.GetGrain<IWebhookQueueGrain>(channelId).EnqueueAsync(notification);
    }
}
