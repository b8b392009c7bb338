namespace Dagen.Grains.Notifications;

/// <summary>
/// What a workflow's Notification node posts to a channel's Incoming Webhook: mrkdwn text and, optionally,
/// Block Kit blocks as a JSON array.
/// </summary>
[GenerateSerializer, Immutable, Alias("dagen.notifications.notification")]
public sealed record Notification
{
    [Id(0)] public required string Text { get; init; }

    /// <summary>A JSON array of Block Kit blocks, sent as the payload's <c>blocks</c>, or null.</summary>
    [Id(1)] public string? BlocksJson { get; init; }
}

/// <summary>Whether a notification was taken for delivery, and if not, why.</summary>
[GenerateSerializer, Immutable, Alias("dagen.notifications.receipt")]
public sealed record NotificationReceipt
{
    [Id(0)] public bool Accepted { get; init; }

    /// <summary>Why it was refused (no such channel, no webhook URL), or null.</summary>
    [Id(1)] public string? Error { get; init; }

    /// <summary>An id for the queued notification, for logs and support.</summary>
    [Id(2)] public string? NotificationId { get; init; }

    public static NotificationReceipt Queued(string id) => new() { Accepted = true, NotificationId = id };

    public static NotificationReceipt Refused(string error) => new() { Error = error };
}

/// <summary>How a webhook delivery ended, as the delivery side reports it back to the channel.</summary>
[GenerateSerializer, Immutable, Alias("dagen.notifications.webhook-outcome")]
public sealed record WebhookOutcome
{
    [Id(0)] public bool Delivered { get; init; }

    /// <summary>Slack's answer for a permanent failure (<c>no_service</c>, <c>channel_is_archived</c>, …).</summary>
    [Id(1)] public string? Error { get; init; }

    /// <summary>What a person should do about it.</summary>
    [Id(2)] public string? Fix { get; init; }

    [Id(3)] public DateTimeOffset At { get; init; }
}
