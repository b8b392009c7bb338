namespace Dagen.Grains.Channels;

/// <summary>What a notification channel grain stores.</summary>
[GenerateSerializer, Alias("dagen.channels.state")]
internal sealed class NotificationChannelState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public string? WebhookUrl { get; set; }

    [Id(3)] public string? BotToken { get; set; }

    [Id(4)] public string? SigningSecret { get; set; }

    [Id(5)] public string? LastError { get; set; }

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }
}
