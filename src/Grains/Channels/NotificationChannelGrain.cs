using Dagen.Grains.Hosting;
using Dagen.Grains.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Dagen.Grains.Channels;

internal sealed partial class NotificationChannelGrain(
    [PersistentState("channel", GrainStorage.Default)] IPersistentState<NotificationChannelState> state,
    TimeProvider clock,
    ILogger<NotificationChannelGrain> logger) : Grain, INotificationChannelGrain
{
    private const int MaxNameLength = 80;

    private string ChannelId => this.GetPrimaryKeyString();

    public Task<ChannelView?> GetAsync() => Task.FromResult(state.State.Exists ? ToView() : null);

    public async Task<ChannelSaveResult> SaveAsync(ChannelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var current = state.State;
        var created = !current.Exists;

        var name = settings.Name?.Trim() ?? (created ? null : current.Name);
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = "Give the channel a name.";
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = $"Use at most {MaxNameLength} characters.";
        }

        if (errors.Count > 0)
        {
            return ChannelSaveResult.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        current.Name = name!;
        current.WebhookUrl = Keep(settings.WebhookUrl, current.WebhookUrl);
        current.BotToken = Keep(settings.BotToken, current.BotToken);
        current.SigningSecret = Keep(settings.SigningSecret, current.SigningSecret);
        current.CreatedAt = created ? now : current.CreatedAt;
        current.UpdatedAt = now;
        current.Exists = true;
        await state.WriteStateAsync();

        LogSaved(ChannelId, created);
        return ChannelSaveResult.Saved(ToView(), created);
    }

    public async Task<bool> DeleteAsync()
    {
        if (!state.State.Exists)
        {
            return false;
        }

        await state.ClearStateAsync();
        LogDeleted(ChannelId);
        return true;
    }

    public Task<string?> GetSigningSecretAsync() =>
        Task.FromResult(state.State.Exists ? state.State.SigningSecret : null);

    public Task<string?> GetBotTokenAsync() => Task.FromResult(state.State.Exists ? state.State.BotToken : null);

    public Task<string?> GetWebhookUrlAsync() => Task.FromResult(state.State.Exists ? state.State.WebhookUrl : null);

    public async Task<NotificationReceipt> NotifyAsync(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!state.State.Exists)
        {
            return NotificationReceipt.Refused($"No notification channel '{ChannelId}' exists.");
        }

        if (state.State.WebhookUrl is null)
        {
            return NotificationReceipt.Refused($"Channel '{ChannelId}' has no Incoming Webhook URL; add one first.");
        }

        var notifier = ServiceProvider.GetRequiredService<IWebhookNotifier>();
        var id = await notifier.EnqueueAsync(ChannelId, notification);
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
        await state.WriteStateAsync();
    }

    private static string? Keep(string? sent, string? stored) =>
        sent is null || sent == ChannelView.Mask ? stored : (sent.Length == 0 ? null : sent);

    private ChannelView ToView()
    {
        var current = state.State;
        return new ChannelView
        {
            Id = ChannelId,
            Name = current.Name,
            WebhookUrl = current.WebhookUrl is null ? null : WebhookUrlMask.Mask(current.WebhookUrl),
            BotToken = current.BotToken is null ? null : ChannelView.Mask,
            SigningSecret = current.SigningSecret is null ? null : ChannelView.Mask,
            BotEnabled = current.BotToken is not null && current.SigningSecret is not null,
            LastError = current.LastError,
            CreatedAt = current.CreatedAt,
            UpdatedAt = current.UpdatedAt,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} saved (new: {Created})")]
    private partial void LogSaved(string channelId, bool created);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} deleted")]
    private partial void LogDeleted(string channelId);
}
