namespace Dagen.StandIns.Slack;

/// <summary>
/// A failure the stand-in answers once, in place of the normal answer, to the next call of one Web API
/// method (<c>chat.postMessage</c>) or of the webhook (<see cref="Webhook"/>): the way to test how the
/// product copes with Slack's errors and rate limits.
/// </summary>
public sealed record SlackFault(int HttpStatus, string Error, int? RetryAfterSeconds = null)
{
    /// <summary>The method name under which webhook faults are queued.</summary>
    public const string Webhook = "webhook";

    /// <summary>A Web API error: HTTP 200 with <c>{"ok":false,"error":…}</c>, as Slack answers most errors.</summary>
    public static SlackFault ApiError(string error) => new(StatusCodes.Status200OK, error);

    /// <summary>
    /// HTTP 429 with <c>Retry-After</c> (left out when <paramref name="retryAfterSeconds"/> is null).
    /// </summary>
    public static SlackFault RateLimited(int? retryAfterSeconds = 1) =>
        new(StatusCodes.Status429TooManyRequests, "ratelimited", retryAfterSeconds);

    /// <summary>A webhook error: plain text with its status, such as 404 <c>no_service</c>.</summary>
    public static SlackFault WebhookError(int httpStatus, string error) => new(httpStatus, error);

    /// <summary>A server error, as Slack gives during an incident.</summary>
    public static SlackFault ServerError() => new(StatusCodes.Status503ServiceUnavailable, "service_unavailable");
}
