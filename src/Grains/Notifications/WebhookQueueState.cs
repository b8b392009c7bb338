namespace Dagen.Grains.Notifications;

/// <summary>What a channel's webhook queue stores: the notifications still to deliver, never the URL.</summary>
[GenerateSerializer, Alias("dagen.notifications.webhook-queue-state")]
internal sealed class WebhookQueueState
{
    [Id(0)] public List<QueuedNotification> Notifications { get; set; } = [];

    /// <summary>The earliest next post: one interval after the last, or later after a 429 or failure.</summary>
    [Id(1)] public DateTimeOffset NotBefore { get; set; }

    [Id(2)] public long Delivered { get; set; }

    [Id(3)] public long GivenUp { get; set; }
}

/// <summary>One message for the webhook. A long text without blocks is queued as several, with one id.</summary>
[GenerateSerializer, Alias("dagen.notifications.queued-notification")]
internal sealed class QueuedNotification
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public string Text { get; set; } = "";

    [Id(2)] public string? BlocksJson { get; set; }

    [Id(3)] public int FailedAttempts { get; set; }

    [Id(4)] public int RateLimitedAttempts { get; set; }

    [Id(5)] public DateTimeOffset QueuedAt { get; set; }
}
