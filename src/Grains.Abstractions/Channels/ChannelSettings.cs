namespace Dagen.Grains.Channels;

/// <summary>
/// What a person or the Dagen backend sends to create or change a notification channel. Secrets that are
/// null or equal to <see cref="ChannelView.Mask"/> keep what is stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("dagen.channels.settings")]
public sealed record ChannelSettings
{
    /// <summary>The name shown in Workflow Settings.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>The Slack Incoming Webhook URL that notifications are posted to.</summary>
    [Id(1)] public string? WebhookUrl { get; init; }

    /// <summary>The Bot User OAuth Token (<c>xoxb-…</c>), needed to receive @mentions.</summary>
    [Id(2)] public string? BotToken { get; init; }

    /// <summary>The Slack app's signing secret, needed to receive @mentions.</summary>
    [Id(3)] public string? SigningSecret { get; init; }

    /// <summary>Says which secrets are set, never what they are, should this ever reach a log.</summary>
    public override string ToString() =>
        $"ChannelSettings {{ Name = {Name}, WebhookUrl = {Shown(WebhookUrl)}, BotToken = {Shown(BotToken)}, "
        + $"SigningSecret = {Shown(SigningSecret)} }}";

    private static string Shown(string? secret) => secret is null ? "(none)" : ChannelView.Mask;
}
