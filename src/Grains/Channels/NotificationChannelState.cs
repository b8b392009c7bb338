namespace Dagen.Grains.Channels;

/// <summary>
/// What a notification channel grain stores. The webhook URL, bot token and signing secret are kept only
/// sealed by <see cref="Secrets.SecretKeyRing"/> (<c>v1:&lt;keyId&gt;:…</c>), never in clear.
/// </summary>
[GenerateSerializer, Alias("dagen.channels.state")]
internal sealed class NotificationChannelState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public string? SealedWebhookUrl { get; set; }

    [Id(3)] public string? SealedBotToken { get; set; }

    [Id(4)] public string? SealedSigningSecret { get; set; }

    [Id(5)] public string? LastError { get; set; }

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The webhook URL as it may be shown (path masked), so reading a channel needs no key.</summary>
    [Id(8)] public string? MaskedWebhookUrl { get; set; }

    [Id(9)] public DateTimeOffset? LastErrorAt { get; set; }
}
