using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dagen.Grains.Tests.StandIns;

/// <summary>A call the Slack stand-in received on its Web API (<c>/api/{method}</c>).</summary>
public sealed record SlackApiCall(
    string Method,
    string? Channel,
    string? Text,
    string? ThreadTs,
    string? Ts,
    string? Name,
    string? Authorization,
    DateTimeOffset ReceivedAt);

/// <summary>A post the Slack stand-in received on an Incoming Webhook (<c>/services/…</c>).</summary>
public sealed record WebhookPost(
    string Path, string? Text, string? BlocksJson, string RawBody, DateTimeOffset ReceivedAt);

/// <summary>
/// A local stand-in of Slack: the Web API under <c>/api/</c> and Incoming Webhooks under <c>/services/</c>. It
/// records every call with the time of the clock it was given, answers as Slack does by default, and answers
/// from a script per method and channel, or per webhook path, when a test queued answers there.
/// </summary>
public sealed class SlackStandIn : StandInServer
{
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<SlackApiCall> _apiCalls = new();
    private readonly ConcurrentQueue<WebhookPost> _webhookPosts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StandInAnswer>> _scripts = new();
    private long _lastTs;

    private SlackStandIn(TimeProvider clock) => _clock = clock;

    /// <summary>The Web API base, as <c>Slack:ApiBaseUrl</c> takes it.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    public IReadOnlyList<SlackApiCall> ApiCalls => _apiCalls.ToList();

    public IReadOnlyList<WebhookPost> WebhookPosts => _webhookPosts.ToList();

    public static async Task<SlackStandIn> StartAsync(TimeProvider clock)
    {
        var standIn = new SlackStandIn(clock);
        await standIn.StartAsync();
        return standIn;
    }

    /// <summary>The calls to one Slack channel, in the order they arrived, of one method or all.</summary>
    public IReadOnlyList<SlackApiCall> CallsTo(string slackChannel, string? method = null) =>
        _apiCalls.Where(call => call.Channel == slackChannel && (method is null || call.Method == method)).ToList();

    /// <summary>A webhook URL of this stand-in with a path of its own, as Slack would hand one out.</summary>
    public Uri NewWebhookUrl(string key) => new(BaseUrl, $"services/T0TEST/B{key}/{Guid.NewGuid():N}");

    public IReadOnlyList<WebhookPost> PostsTo(Uri webhookUrl) =>
        _webhookPosts.Where(post => post.Path == webhookUrl.AbsolutePath).ToList();

    /// <summary>Answers the next calls of a method to a Slack channel with these, in order.</summary>
    public void Script(string method, string slackChannel, params StandInAnswer[] answers) =>
        Enqueue($"api:{method}:{slackChannel}", answers);

    /// <summary>Answers the next posts to <paramref name="webhookUrl"/> with these.</summary>
    public void ScriptWebhook(Uri webhookUrl, params StandInAnswer[] answers) =>
        Enqueue($"hook:{webhookUrl.AbsolutePath}", answers);

    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/{method}", HandleApiAsync);
        app.MapPost("/services/{**rest}", HandleWebhookAsync);
    }

    private void Enqueue(string key, StandInAnswer[] answers)
    {
        var queue = _scripts.GetOrAdd(key, _ => new ConcurrentQueue<StandInAnswer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    private StandInAnswer? Next(string key) =>
        _scripts.TryGetValue(key, out var queue) && queue.TryDequeue(out var answer) ? answer : null;

    private async Task HandleApiAsync(HttpContext context, string method)
    {
        var fields = await ReadFieldsAsync(context.Request);
        var channel = Field(fields, "channel");
        _apiCalls.Enqueue(new SlackApiCall(
            method,
            channel,
            Field(fields, "text"),
            Field(fields, "thread_ts"),
            Field(fields, "ts") ?? Field(fields, "timestamp"),
            Field(fields, "name"),
            context.Request.Headers.Authorization.ToString(),
            _clock.GetUtcNow()));

        var answer = Next($"api:{method}:{channel}") ?? new StandInAnswer
        {
            Body = method == "chat.postMessage" || method == "chat.update"
                ? JsonSerializer.Serialize(new { ok = true, channel, ts = Field(fields, "ts") ?? NewTs() })
                : """{"ok":true}""",
        };
        await WriteAsync(context, answer);
    }

    private async Task HandleWebhookAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        string? text = null;
        string? blocks = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            text = document.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null;
            blocks = document.RootElement.TryGetProperty("blocks", out var b) ? b.GetRawText() : null;
        }
        catch (JsonException)
        {
            await WriteAsync(context, StandInAnswer.PlainText(400, "invalid_payload"));
            return;
        }

        var path = context.Request.Path.Value ?? "";
        _webhookPosts.Enqueue(new WebhookPost(path, text, blocks, body, _clock.GetUtcNow()));
        await WriteAsync(context, Next($"hook:{path}") ?? StandInAnswer.PlainText(200, "ok"));
    }

    private static async Task<Dictionary<string, string?>> ReadFieldsAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return form.ToDictionary(pair => pair.Key, pair => (string?)pair.Value.ToString());
        }

        using var document = await JsonDocument.ParseAsync(request.Body);
        return document.RootElement.EnumerateObject().ToDictionary(
            property => property.Name,
            property => property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()
                : property.Value.GetRawText());
    }

    private static string? Field(Dictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : null;

    private string NewTs() => $"1700000000.{Interlocked.Increment(ref _lastTs):D6}";

    private static async Task WriteAsync(HttpContext context, StandInAnswer answer)
    {
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay);
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        if (answer.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(answer.Body);
    }
}
