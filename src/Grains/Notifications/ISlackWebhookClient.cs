using Dagen.Grains.Slack;

namespace Dagen.Grains.Notifications;

/// <summary>
/// Posts one message to a Slack Incoming Webhook: one HTTP attempt bounded by
/// <see cref="SlackOptions.RequestTimeout"/>, its outcome returned, nothing thrown except on cancellation. The
/// URL works as a password: it is passed with each call and never logged.
/// </summary>
public interface ISlackWebhookClient
{
    Task<WebhookDeliveryResult> PostAsync(
        Uri webhookUrl, string text, string? blocksJson, CancellationToken cancellationToken = default);
}

/// <summary>Slack's answer to one webhook post.</summary>
public sealed record WebhookDeliveryResult
{
    public required SlackCallOutcome Outcome { get; init; }

    /// <summary>Slack's error text (<c>no_service</c>, <c>channel_is_archived</c>, …) or one of ours.</summary>
    public string? Error { get; init; }

    /// <summary>For a 429: the wait asked for in <c>Retry-After</c> or in the body's <c>retry_after</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public int? StatusCode { get; init; }
}
