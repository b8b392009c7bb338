using System.Text.Json;
using Dagen.Grains.Channels;

namespace Dagen.Gateway.Channels;

/// <summary>
/// The body of <c>POST</c> and <c>PUT /api/channels…</c>. A secret left out or sent as <c>***</c> keeps the
/// stored one; an empty string removes it.
/// </summary>
public sealed record ChannelRequest(string? Name, string? WebhookUrl, string? BotToken, string? SigningSecret)
{
    public ChannelSettings ToSettings() => new()
    {
        Name = Name,
        WebhookUrl = WebhookUrl,
        BotToken = BotToken,
        SigningSecret = SigningSecret,
    };

    /// <summary>Says which secrets were sent, never what they are, should this ever reach a log.</summary>
    public override string ToString() => ToSettings().ToString();
}

/// <summary>
/// A channel as the settings API shows it: secrets as <c>***</c>, the webhook URL with its path masked.
/// </summary>
public sealed record ChannelResponse(
    string Id,
    string Name,
    string? WebhookUrl,
    string? BotToken,
    string? SigningSecret,
    bool BotEnabled,
    string? EventSubscriptionUrl,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ChannelResponse From(ChannelView view, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(view);
        var hasBotSettings = view.BotToken is not null || view.SigningSecret is not null;
        return new ChannelResponse(
            view.Id,
            view.Name,
            view.WebhookUrl,
            view.BotToken,
            view.SigningSecret,
            view.BotEnabled,
            hasBotSettings ? $"{baseUrl.TrimEnd('/')}/api/slack/events/{Uri.EscapeDataString(view.Id)}" : null,
            view.LastError,
            view.CreatedAt,
            view.UpdatedAt);
    }
}

/// <summary>The list answer of <c>GET /api/channels</c>.</summary>
public sealed record ChannelListResponse(IReadOnlyList<ChannelResponse> Channels);

/// <summary>
/// The body of <c>POST /api/channels/{id}/notifications</c>: mrkdwn <c>text</c> and, optionally, Block Kit
/// <c>blocks</c>.
/// </summary>
public sealed record NotificationRequest(string? Text, JsonElement? Blocks);

/// <summary>The answer to an accepted notification.</summary>
public sealed record NotificationAccepted(string ChannelId, string NotificationId);
