using System.Globalization;
using System.Text.Json;

namespace Dagen.StandIns.Slack;

/// <summary>
/// The Incoming Webhook: <c>POST /services/T…/B…/secret</c> with a JSON body (or a form field
/// <c>payload</c>), answered in plain text as Slack does: <c>ok</c>, or an error word with its HTTP status.
/// </summary>
internal static partial class WebhookEndpoints
{
    public static void MapSlackWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/services/{team}/{bot}/{secret}", HandleAsync);
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, LocalSlackOptions options, WorkspaceState state, TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Dagen.StandIns.Slack.Webhook");
        var (status, answer) = await ReceiveAsync(context, options, state, time);
        state.Record(new RecordedApiCall(
            SlackFault.Webhook, status == StatusCodes.Status200OK, status == 200 ? null : answer,
            LocalWorkspace.ChannelId, time.GetUtcNow()));
        LogWebhook(logger, status, answer);
        return Results.Text(answer, "text/plain", statusCode: status);
    }

    private static async Task<(int Status, string Answer)> ReceiveAsync(
        HttpContext context, LocalSlackOptions options, WorkspaceState state, TimeProvider time)
    {
        if (!string.Equals(context.Request.Path, options.WebhookPath, StringComparison.Ordinal))
        {
            return (StatusCodes.Status404NotFound, "no_service");
        }

        if (state.TakeFault(SlackFault.Webhook) is { } fault)
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return (fault.HttpStatus, fault.Error);
        }

        var payload = await ReadPayloadAsync(context.Request, context.RequestAborted);
        if (payload is null)
        {
            return (StatusCodes.Status400BadRequest, "invalid_payload");
        }

        var text = payload.Value.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        var blocks = payload.Value.TryGetProperty("blocks", out var b) && b.ValueKind == JsonValueKind.Array
            ? b.GetRawText()
            : null;
        if (string.IsNullOrEmpty(text) && blocks is null)
        {
            return (StatusCodes.Status400BadRequest, "no_text");
        }

        state.Add(new MessageEntry
        {
            Ts = state.NextTs(),
            UserId = LocalWorkspace.WebhookBotId,
            BotId = LocalWorkspace.WebhookBotId,
            Text = text ?? "",
            Warnings = MrkdwnCheck.Warnings(text ?? ""),
            Source = MessageSource.Webhook,
            Blocks = blocks,
            PostedAt = time.GetUtcNow(),
        });
        return (StatusCodes.Status200OK, "ok");
    }

    private static async Task<JsonElement?> ReadPayloadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                return Parse(form["payload"].ToString());
            }

            using var reader = new StreamReader(request.Body);
            return Parse(await reader.ReadToEndAsync(cancellationToken));
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static JsonElement? Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object ? json.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Incoming webhook answered HTTP {Status} {Answer}")]
    private static partial void LogWebhook(ILogger logger, int status, string answer);
}
