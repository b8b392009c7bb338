using System.Buffers;
using System.Text;
using Dagen.Gateway.Channels;
using Dagen.Gateway.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dagen.Gateway.Slack;

/// <summary>
/// <c>POST /api/slack/events/{channelId}</c>: a channel's Event Subscription URL. Cheap checks first (channel id,
/// content type, size, headers, timestamp) so junk never reaches the cluster; then the signature against the
/// channel's signing secret; then the payload. Every answer goes out within Slack's 3 seconds: grain calls are
/// bounded by <c>Gateway:ClusterCallTimeout</c>.
/// </summary>
public static partial class SlackEventEndpoints
{
    /// <summary>Tells Slack not to send this request again: retrying cannot change the answer.</summary>
    public const string NoRetryHeader = "X-Slack-No-Retry";

    /// <summary>What the gateway made of an event: <c>handled</c>, <c>duplicate</c> or <c>ignored</c>.</summary>
    public const string OutcomeHeader = "X-Dagen-Event-Outcome";

    private const string LoggerName = "Dagen.Gateway.Slack.Events";

    public static IEndpointRouteBuilder MapSlackEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/api/slack/events/{channelId}", ReceiveAsync).DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(
        string channelId,
        HttpContext context,
        SigningSecretCache secrets,
        SlackEventDispatcher dispatcher,
        TimeProvider clock,
        IOptions<GatewayOptions> options,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(LoggerName);
        var request = context.Request;
        var cancellationToken = context.RequestAborted;

        if (!ChannelIds.IsValid(channelId))
        {
            LogRefused(logger, "(invalid id)", 404, "the channel id is not a valid id");
            return Refuse(context, StatusCodes.Status404NotFound, "No notification channel has this id.");
        }

        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant()
            : null;
        if (mediaType is not ("application/json" or "application/x-www-form-urlencoded"))
        {
            LogRefused(logger, channelId, 415, "wrong content type");
            return Refuse(context, StatusCodes.Status415UnsupportedMediaType,
                "Slack events are sent as application/json; this request is not.");
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(request, options.Value.EventBodyLimitBytes, cancellationToken);
        }
        catch (BadHttpRequestException exception)
        {
            // A body sent too slowly or cut off: the client's fault, not worth a stack trace.
            LogRefused(logger, channelId, exception.StatusCode, "body not received in time or incomplete");
            return Refuse(context, exception.StatusCode, "The request body did not arrive whole.");
        }

        if (body is null)
        {
            LogRefused(logger, channelId, 413, "body over the size limit");
            return Refuse(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body is over {options.Value.EventBodyLimitBytes} bytes.");
        }

        if (request.Query["ssl_check"] == "1" || (mediaType != "application/json" && IsSslCheck(body)))
        {
            LogSslCheck(logger, channelId);
            return Results.Ok();
        }

        if (mediaType != "application/json")
        {
            LogRefused(logger, channelId, 415, "form body that is not an ssl_check");
            return Refuse(context, StatusCodes.Status415UnsupportedMediaType,
                "Slack events are sent as application/json; this request is not.");
        }

        var timestamp = request.Headers[SlackSignature.TimestampHeader].ToString();
        var signature = request.Headers[SlackSignature.SignatureHeader].ToString();
        var now = clock.GetUtcNow();
        if (SlackSignature.CheckTimestamp(timestamp, signature, now) is { } early)
        {
            return Unauthorized(context, logger, channelId, early);
        }

        string? secret;
        try
        {
            secret = await secrets.GetAsync(channelId, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return ClusterUnavailable(logger, channelId, exception);
        }

        if (secret is null)
        {
            LogRefused(logger, channelId, 404, "no such channel, or it has no bot settings");
            return Refuse(context, StatusCodes.Status404NotFound,
                "No notification channel with bot settings has this id.");
        }

        var reason = SlackSignature.Verify(secret, timestamp, signature, body, now);
        if (reason is not null)
        {
            string? rotated;
            try
            {
                rotated = await secrets.RefreshAsync(channelId, secret, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                return ClusterUnavailable(logger, channelId, exception);
            }

            reason = rotated is null ? reason : SlackSignature.Verify(rotated, timestamp, signature, body, now);
            if (reason is not null)
            {
                return Unauthorized(context, logger, channelId, reason);
            }
        }

        var result = await dispatcher.DispatchAsync(channelId, body, cancellationToken);
        if (result.Outcome is { } outcome)
        {
            context.Response.Headers[OutcomeHeader] = outcome;
        }

        if (result.NoRetry)
        {
            context.Response.Headers[NoRetryHeader] = "1";
        }

        return result.Result;
    }

    /// <summary>Reads the raw body, or returns null when it is over <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(
        HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var expected = (int)(request.ContentLength ?? 4096);
        using var buffer = new MemoryStream(expected);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static bool IsSslCheck(byte[] body)
    {
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        return form.TryGetValue("ssl_check", out var value) && value == "1";
    }

    private static IResult Refuse(HttpContext context, int status, string detail)
    {
        context.Response.Headers[NoRetryHeader] = "1";
        return Results.Problem(detail: detail, statusCode: status);
    }

    private static IResult Unauthorized(HttpContext context, ILogger logger, string channelId, string reason)
    {
        LogUnauthorized(logger, channelId, reason);
        context.Response.Headers[NoRetryHeader] = "1";
        return Results.Problem(
            title: "Unauthorized", detail: "The request is not signed by Slack for this channel.", statusCode: 401);
    }

    private static IResult ClusterUnavailable(ILogger logger, string channelId, Exception exception)
    {
        // No X-Slack-No-Retry: Slack's retry is what this request needs.
        LogClusterUnavailable(logger, channelId, exception.GetType().Name, exception.Message);
        return Results.Problem(
            detail: "The cluster did not answer in time; Slack will retry.", statusCode: 503);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unauthorized Slack request for channel {ChannelId}: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Slack request for channel {ChannelId} refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string channelId, int status, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack ssl_check for channel {ChannelId} answered")]
    private static partial void LogSslCheck(ILogger logger, string channelId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Slack request for channel {ChannelId} answered 503 (Slack will retry): the cluster did not "
            + "answer. {ErrorType}: {Reason}")]
    private static partial void LogClusterUnavailable(
        ILogger logger, string channelId, string errorType, string reason);
}
