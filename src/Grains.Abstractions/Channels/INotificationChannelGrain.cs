using Dagen.Grains.Notifications;

namespace Dagen.Grains.Channels;

/// <summary>
/// One Slack notification channel as configured in Workflow Settings → Notification Channels, keyed by the
/// channel id. It holds the Incoming Webhook URL and, optionally, the bot settings that let people
/// @mention the bot. Secrets leave this grain only masked, except through the internal accessors that the
/// gateway and the Slack layer need.
/// </summary>
[Alias("dagen.channels.notification-channel")]
public interface INotificationChannelGrain : IGrainWithStringKey
{
    /// <summary>Returns the channel with every secret masked, or null when no channel has this id.</summary>
    [Alias("get")]
    Task<ChannelView?> GetAsync();

    /// <summary>
    /// Creates the channel or changes it. A secret that is null or <c>***</c> keeps the stored value.
    /// Returns the saved channel, masked, or the validation errors by field.
    /// </summary>
    [Alias("save")]
    Task<ChannelSaveResult> SaveAsync(ChannelSettings settings);

    /// <summary>Removes the channel and its secrets. Returns false when there was nothing to remove.</summary>
    [Alias("delete")]
    Task<bool> DeleteAsync();

    /// <summary>
    /// The signing secret that verifies requests from Slack for this channel, or null when the channel does
    /// not exist or has no bot settings. For the gateway only; never shown to a person.
    /// </summary>
    [Alias("signing-secret")]
    Task<string?> GetSigningSecretAsync();

    /// <summary>
    /// The bot token used to call Slack's Web API for this channel, or null when there is none. For the
    /// Slack layer in the silo only; never shown to a person.
    /// </summary>
    [Alias("bot-token")]
    Task<string?> GetBotTokenAsync();

    /// <summary>
    /// The Incoming Webhook URL in clear, or null when none is set. For the delivery side in the silo only:
    /// the URL works as a password.
    /// </summary>
    [Alias("webhook-url")]
    Task<string?> GetWebhookUrlAsync();

    /// <summary>
    /// A workflow's Notification node: queues the notification for the channel's webhook. Delivery goes on
    /// afterwards, in order and paced; a permanent failure shows as the channel's <c>LastError</c>.
    /// </summary>
    [Alias("notify")]
    Task<NotificationReceipt> NotifyAsync(Notification notification);

    /// <summary>Records how a webhook delivery ended: a permanent failure is kept, a success clears it.</summary>
    [Alias("record-webhook-outcome")]
    Task RecordWebhookOutcomeAsync(WebhookOutcome outcome);
}
