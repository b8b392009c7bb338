using System.Text.Json;
using Dagen.Grains.Hosting;
using Dagen.Grains.Notifications;
using Dagen.Grains.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Dagen.Grains.Channels;

internal sealed partial class NotificationChannelGrain(
    [PersistentState("channel", GrainStorage.Default)] IPersistentState<NotificationChannelState> state,
    SecretKeyRing keyRing,
    ChannelSettingsValidator validator,
    TimeProvider clock,
    ILogger<NotificationChannelGrain> logger) : Grain, INotificationChannelGrain
{
    /// <summary>Slack refuses longer message text; a section block holds less still.</summary>
    internal const int MaxNotificationTextLength = 40_000;

    internal const int MaxNotificationBlocks = 50;

    private const string WebhookField = "webhookUrl";
    private const string BotTokenField = "botToken";
    private const string SigningSecretField = "signingSecret";

    private string ChannelId => this.GetPrimaryKeyString();

    /// <summary>
    /// After a key rotation, seals what an older key sealed with the active key, so the old key can be retired
    /// once every channel has been activated (or saved) once.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var current = state.State;
        if (!current.Exists)
        {
            return;
        }

        var stale = new[] { current.SealedWebhookUrl, current.SealedBotToken, current.SealedSigningSecret }
            .Where(value => value is not null && SecretKeyRing.KeyIdOf(value) != keyRing.ActiveKeyId)
            .ToArray();
        if (stale.Length == 0)
        {
            return;
        }

        try
        {
            current.SealedWebhookUrl = Seal(Open(current.SealedWebhookUrl, WebhookField), WebhookField);
            current.SealedBotToken = Seal(Open(current.SealedBotToken, BotTokenField), BotTokenField);
            current.SealedSigningSecret =
                Seal(Open(current.SealedSigningSecret, SigningSecretField), SigningSecretField);
            await state.WriteStateAsync(cancellationToken);
            LogResealed(ChannelId, keyRing.ActiveKeyId);
        }
        catch (SecretUnavailableException)
        {
            // Already logged with the fix; the channel stays readable as far as its keys allow.
            await state.ReadStateAsync(cancellationToken);
        }
    }

    public Task<ChannelView?> GetAsync() => Task.FromResult(state.State.Exists ? ToView() : null);

    public async Task<ChannelSaveResult> SaveAsync(ChannelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var current = state.State;
        var created = !current.Exists;

        var name = settings.Name is null ? (created ? null : current.Name) : settings.Name.Trim();
        // The masked URL a GET showed, sent back unchanged, means "keep" just like ***.
        var sentWebhookUrl = settings.WebhookUrl == current.MaskedWebhookUrl ? ChannelView.Mask : settings.WebhookUrl;
        var webhookUrl = Merge(sentWebhookUrl, current.SealedWebhookUrl, WebhookField);
        var botToken = Merge(settings.BotToken, current.SealedBotToken, BotTokenField);
        var signingSecret = Merge(settings.SigningSecret, current.SealedSigningSecret, SigningSecretField);

        var errors = validator.Validate(name, webhookUrl, botToken, signingSecret);
        if (errors.Count > 0)
        {
            LogRefused(ChannelId, string.Join(", ", errors.Keys));
            return ChannelSaveResult.Invalid(errors);
        }

        if (created)
        {
            // Listed before it exists: a listing skips an id without a channel, but would miss a channel
            // without an id.
            await GrainFactory.GetGrain<INotificationChannelDirectoryGrain>(INotificationChannelDirectoryGrain.Key)
                .AddAsync(ChannelId);
        }

        var now = clock.GetUtcNow();
        current.Name = name!;
        current.SealedWebhookUrl = Seal(webhookUrl, WebhookField);
        current.MaskedWebhookUrl = webhookUrl is null ? null : WebhookUrlMask.Mask(webhookUrl);
        current.SealedBotToken = Seal(botToken, BotTokenField);
        current.SealedSigningSecret = Seal(signingSecret, SigningSecretField);
        current.CreatedAt = created ? now : current.CreatedAt;
        current.UpdatedAt = now;
        current.Exists = true;
        await state.WriteStateAsync();

        LogSaved(ChannelId, created, botToken is not null, keyRing.ActiveKeyId);
        return ChannelSaveResult.Saved(ToView(), created);
    }

    public async Task<bool> DeleteAsync()
    {
        if (!state.State.Exists)
        {
            return false;
        }

        await state.ClearStateAsync();
        state.State = new NotificationChannelState();

        await GrainFactory.GetGrain<INotificationChannelDirectoryGrain>(INotificationChannelDirectoryGrain.Key)
            .RemoveAsync(ChannelId);

        LogDeleted(ChannelId);
        DeactivateOnIdle();
        return true;
    }

    public Task<string?> GetSigningSecretAsync() =>
        Task.FromResult(state.State.Exists ? Open(state.State.SealedSigningSecret, SigningSecretField) : null);

    public Task<string?> GetBotTokenAsync() =>
        Task.FromResult(state.State.Exists ? Open(state.State.SealedBotToken, BotTokenField) : null);

    public Task<string?> GetWebhookUrlAsync() =>
        Task.FromResult(state.State.Exists ? Open(state.State.SealedWebhookUrl, WebhookField) : null);

    public async Task<NotificationReceipt> NotifyAsync(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!state.State.Exists)
        {
            return NotificationReceipt.Refused($"No notification channel '{ChannelId}' exists.");
        }

        if (state.State.SealedWebhookUrl is null)
        {
            return NotificationReceipt.Refused(
                $"Channel '{ChannelId}' has no Incoming Webhook URL; add one in its settings first.");
        }

        if (CheckNotification(notification) is { } problem)
        {
            return NotificationReceipt.Refused(problem);
        }

        var notifier = ServiceProvider.GetService<IWebhookNotifier>();
        if (notifier is null)
        {
            LogNoNotifier(ChannelId);
            return NotificationReceipt.Refused("Webhook delivery is not set up in this cluster; see the silo log.");
        }

        var id = await notifier.EnqueueAsync(ChannelId, notification);
        LogNotificationQueued(ChannelId, id);
        return NotificationReceipt.Queued(id);
    }

    public async Task RecordWebhookOutcomeAsync(WebhookOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!state.State.Exists)
        {
            return;
        }

        var error = outcome.Delivered ? null : $"{outcome.Error}: {outcome.Fix}";
        if (error == state.State.LastError)
        {
            return;
        }

        state.State.LastError = error;
        state.State.LastErrorAt = outcome.Delivered ? null : outcome.At;
        await state.WriteStateAsync();

        if (error is null)
        {
            LogWebhookRecovered(ChannelId);
        }
        else
        {
            LogWebhookFailed(ChannelId, outcome.Error, outcome.Fix);
        }
    }

    /// <summary>
    /// The value a save leaves: null or <c>***</c> keeps what is stored, an empty string removes it, anything
    /// else replaces it. Returns it in clear, for validation and sealing.
    /// </summary>
    private string? Merge(string? sent, string? stored, string field)
    {
        if (sent is null || sent == ChannelView.Mask)
        {
            return Open(stored, field);
        }

        var trimmed = sent.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private string? Seal(string? value, string field) => value is null ? null : keyRing.Seal(value, Purpose(field));

    private string? Open(string? sealedValue, string field)
    {
        if (sealedValue is null)
        {
            return null;
        }

        try
        {
            return keyRing.Open(sealedValue, Purpose(field));
        }
        catch (SecretUnavailableException exception)
        {
            LogSecretUnavailable(ChannelId, field, exception.Message);
            throw;
        }
    }

    private string Purpose(string field) => $"channel/{ChannelId}/{field}";

    private static string? CheckNotification(Notification notification)
    {
        if (string.IsNullOrWhiteSpace(notification.Text))
        {
            return "The notification has no text; Slack needs text even when blocks are sent.";
        }

        if (notification.Text.Length > MaxNotificationTextLength)
        {
            return $"The notification text is longer than {MaxNotificationTextLength} characters; shorten it.";
        }

        if (notification.BlocksJson is null)
        {
            return null;
        }

        try
        {
            using var blocks = JsonDocument.Parse(notification.BlocksJson);
            if (blocks.RootElement.ValueKind != JsonValueKind.Array)
            {
                return "The notification's blocks must be a JSON array of Block Kit blocks.";
            }

            return blocks.RootElement.GetArrayLength() > MaxNotificationBlocks
                ? $"Slack takes at most {MaxNotificationBlocks} blocks in one message."
                : null;
        }
        catch (JsonException)
        {
            return "The notification's blocks are not valid JSON.";
        }
    }

    private ChannelView ToView()
    {
        var current = state.State;
        return new ChannelView
        {
            Id = ChannelId,
            Name = current.Name,
            WebhookUrl = current.SealedWebhookUrl is null ? null : current.MaskedWebhookUrl ?? ChannelView.Mask,
            BotToken = current.SealedBotToken is null ? null : ChannelView.Mask,
            SigningSecret = current.SealedSigningSecret is null ? null : ChannelView.Mask,
            BotEnabled = current.SealedBotToken is not null && current.SealedSigningSecret is not null,
            LastError = current.LastError,
            CreatedAt = current.CreatedAt,
            UpdatedAt = current.UpdatedAt,
        };
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Channel {ChannelId} saved (new: {Created}, bot settings: {BotEnabled}, sealed with key {KeyId})")]
    private partial void LogSaved(string channelId, bool created, bool botEnabled, string keyId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Channel {ChannelId}: secrets sealed again with the active key {KeyId}")]
    private partial void LogResealed(string channelId, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} refused a save; fields: {Fields}")]
    private partial void LogRefused(string channelId, string fields);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} deleted")]
    private partial void LogDeleted(string channelId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelId} queued notification {NotificationId}")]
    private partial void LogNotificationQueued(string channelId, string notificationId);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Channel {ChannelId} cannot send a notification: no webhook notifier is registered in the silo")]
    private partial void LogNoNotifier(string channelId);

    // Debug only: the delivery side logs the failure with its fix, once.
    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Channel {ChannelId}: last webhook error recorded ({Error}). Fix: {Fix}")]
    private partial void LogWebhookFailed(string channelId, string? error, string? fix);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: webhook delivers again")]
    private partial void LogWebhookRecovered(string channelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {ChannelId}: its {Field} cannot be read. {Reason}")]
    private partial void LogSecretUnavailable(string channelId, string field, string reason);
}
