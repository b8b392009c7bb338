using System.Text.Json;
using Dagen.Gateway.Hosting;
using Dagen.Gateway.Slack;
using Dagen.Grains.Channels;
using Dagen.Grains.Notifications;
using Microsoft.Extensions.Options;

namespace Dagen.Gateway.Channels;

/// <summary>
/// The settings API of notification channels, behind <see cref="AdminTokenFilter"/>: create, list, read, change,
/// delete, and the Notification node's <c>POST /api/channels/{id}/notifications</c>. Secrets never come back.
/// </summary>
public static partial class ChannelEndpoints
{
    private const string LoggerName = "Dagen.Gateway.Channels";

    public static IEndpointRouteBuilder MapChannelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var channels = endpoints.MapGroup("/api/channels")
            .AddEndpointFilter<AdminTokenFilter>()
            .AddEndpointFilter(AnswerWhenTheClusterFailsAsync)
            .DisableAntiforgery();

        channels.MapGet("", ListAsync);
        channels.MapPost("", CreateAsync);
        channels.MapGet("/{id}", GetAsync);
        channels.MapPut("/{id}", UpdateAsync);
        channels.MapDelete("/{id}", DeleteAsync);
        channels.MapPost("/{id}/notifications", NotifyAsync);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var views = await grains.ListChannelsAsync();
        var baseUrl = BaseUrl(context);
        return Results.Ok(new ChannelListResponse([.. views.Select(v => ChannelResponse.From(v, baseUrl))]));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains, SigningSecretCache cache)
    {
        var (request, error) = await JsonBody.ReadAsync<ChannelRequest>(context);
        if (request is null)
        {
            return error!;
        }

        var id = ChannelIds.New();
        var result = await grains.GetGrain<INotificationChannelGrain>(id).SaveAsync(request.ToSettings());
        cache.Invalidate(id);
        return result.Succeeded
            ? Results.Created($"/api/channels/{id}", ChannelResponse.From(result.Channel!, BaseUrl(context)))
            : Invalid(result);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        if (!ChannelIds.IsValid(id))
        {
            return NotFound(id);
        }

        var view = await grains.GetGrain<INotificationChannelGrain>(id).GetAsync();
        return view is null ? NotFound(id) : Results.Ok(ChannelResponse.From(view, BaseUrl(context)));
    }

    private static async Task<IResult> UpdateAsync(
        string id, HttpContext context, IGrainFactory grains, SigningSecretCache cache)
    {
        if (!ChannelIds.IsValid(id))
        {
            return NotFound(id);
        }

        var (request, error) = await JsonBody.ReadAsync<ChannelRequest>(context);
        if (request is null)
        {
            return error!;
        }

        var channel = grains.GetGrain<INotificationChannelGrain>(id);
        if (await channel.GetAsync() is null)
        {
            return NotFound(id);
        }

        var result = await channel.SaveAsync(request.ToSettings());
        cache.Invalidate(id);
        return result.Succeeded ? Results.Ok(ChannelResponse.From(result.Channel!, BaseUrl(context))) : Invalid(result);
    }

    private static async Task<IResult> DeleteAsync(string id, IGrainFactory grains, SigningSecretCache cache)
    {
        if (!ChannelIds.IsValid(id))
        {
            return NotFound(id);
        }

        var deleted = await grains.GetGrain<INotificationChannelGrain>(id).DeleteAsync();
        cache.Invalidate(id);
        return deleted ? Results.NoContent() : NotFound(id);
    }

    private static async Task<IResult> NotifyAsync(string id, HttpContext context, IGrainFactory grains)
    {
        if (!ChannelIds.IsValid(id))
        {
            return NotFound(id);
        }

        var (request, error) = await JsonBody.ReadAsync<NotificationRequest>(context);
        if (request is null)
        {
            return error!;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors["text"] = ["Give the notification's text (mrkdwn); Slack shows it in notifications even when "
                + "blocks are sent."];
        }

        if (request.Blocks is { } blocks && blocks.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            errors["blocks"] = ["Send blocks as a JSON array of Block Kit blocks, or leave them out."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var channel = grains.GetGrain<INotificationChannelGrain>(id);
        if (await channel.GetAsync() is null)
        {
            return NotFound(id);
        }

        var notification = new Notification
        {
            Text = request.Text!,
            BlocksJson = request.Blocks is { ValueKind: JsonValueKind.Array } array ? array.GetRawText() : null,
        };
        var receipt = await channel.NotifyAsync(notification);
        if (!receipt.Accepted)
        {
            return Results.Problem(detail: receipt.Error, statusCode: StatusCodes.Status409Conflict);
        }

        return Results.Accepted(
            $"/api/channels/{id}", new NotificationAccepted(id, receipt.NotificationId ?? ""));
    }

    private static IResult Invalid(ChannelSaveResult result) =>
        Results.ValidationProblem(
            result.Errors.ToDictionary(pair => pair.Key, pair => new[] { pair.Value }),
            detail: "Fix the fields named in errors and send the request again.");

    private static IResult NotFound(string id) =>
        Results.Problem(
            detail: ChannelIds.IsValid(id) ? $"No notification channel '{id}' exists." : "No channel has this id.",
            statusCode: StatusCodes.Status404NotFound);

    private static string BaseUrl(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.PublicBaseUrl;
        var request = context.Request;
        return string.IsNullOrWhiteSpace(configured)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : configured;
    }

    /// <summary>A cluster that cannot be reached is a 503 with one Warning, not a stack trace.</summary>
    private static async ValueTask<object?> AnswerWhenTheClusterFailsAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (!context.HttpContext.RequestAborted.IsCancellationRequested
            && exception is not BadHttpRequestException)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()
                .CreateLogger(LoggerName);
            LogClusterFailed(logger, context.HttpContext.Request.Method, context.HttpContext.Request.Path,
                exception.GetType().Name, exception.Message);
            return Results.Problem(
                detail: "The cluster could not complete the request; try again shortly.", statusCode: 503);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Settings API {Method} {Path} failed in the cluster. {ErrorType}: {Reason}")]
    private static partial void LogClusterFailed(
        ILogger logger, string method, string path, string errorType, string reason);
}
