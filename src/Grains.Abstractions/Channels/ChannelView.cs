namespace Dagen.Grains.Channels;

/// <summary>A notification channel as it may be shown: no secret appears in it.</summary>
[GenerateSerializer, Immutable, Alias("dagen.channels.view")]
public sealed record ChannelView
{
    /// <summary>What stands in for a stored secret.</summary>
    public const string Mask = "***";

    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Name { get; init; }

    /// <summary>The webhook URL with its path masked, or null when none is set.</summary>
    [Id(2)] public string? WebhookUrl { get; init; }

    /// <summary><see cref="Mask"/> when a bot token is stored, else null.</summary>
    [Id(3)] public string? BotToken { get; init; }

    /// <summary><see cref="Mask"/> when a signing secret is stored, else null.</summary>
    [Id(4)] public string? SigningSecret { get; init; }

    /// <summary>True when both bot settings are stored, so the channel can receive @mentions.</summary>
    [Id(5)] public bool BotEnabled { get; init; }

    /// <summary>The last permanent failure of the webhook, with its fix, or null.</summary>
    [Id(6)] public string? LastError { get; init; }

    [Id(7)] public DateTimeOffset CreatedAt { get; init; }

    [Id(8)] public DateTimeOffset UpdatedAt { get; init; }
}
