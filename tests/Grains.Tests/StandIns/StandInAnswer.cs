namespace Dagen.Grains.Tests.StandIns;

/// <summary>A scripted answer of a stand-in: status, body, maybe a Retry-After, maybe a delay first.</summary>
public sealed record StandInAnswer
{
    private const string RateLimitedBody = """{"ok":false,"error":"ratelimited"}""";

    public int Status { get; init; } = 200;

    public string Body { get; init; } = "";

    public string ContentType { get; init; } = "application/json";

    /// <summary>The <c>Retry-After</c> header, in whole seconds, or null for none.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Real time to wait before answering, to make a client time out.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Slack's Web API answer <c>{"ok":false,"error":…}</c> (HTTP 200), maybe with <c>needed</c>.</summary>
    public static StandInAnswer SlackError(string error, string? needed = null) => new()
    {
        Body = needed is null
            ? $$"""{"ok":false,"error":"{{error}}"}"""
            : $$"""{"ok":false,"error":"{{error}}","needed":"{{needed}}","provided":"im:read"}""",
    };

    public static StandInAnswer RateLimited(int? retryAfterSeconds, string body = RateLimitedBody) =>
        new() { Status = 429, Body = body, RetryAfterSeconds = retryAfterSeconds };

    public static StandInAnswer Failure(int status) =>
        new() { Status = status, Body = "upstream trouble", ContentType = "text/plain" };

    public static StandInAnswer PlainText(int status, string text) =>
        new() { Status = status, Body = text, ContentType = "text/plain" };

    public static StandInAnswer Json(int status, string json) => new() { Status = status, Body = json };

    public static StandInAnswer Slow(TimeSpan delay) => new() { Delay = delay, Body = """{"ok":true}""" };
}
