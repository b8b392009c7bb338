using System.Text;
using System.Text.Json;
using Dagen.StandIns.Hosting;

namespace Dagen.StandIns.Slack;

/// <summary>
/// The page of the local workspace at <c>/</c> and the JSON endpoints behind it, which tests use too:
/// the recorded conversation, a live change stream, posting as a member and the app's settings.
/// </summary>
internal static class PageEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(PageEndpoints).Assembly.GetManifestResourceStream(
            "Dagen.StandIns.Slack.workspace.html") ?? throw new InvalidOperationException("workspace.html missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public static void MapWorkspacePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        endpoints.MapGet("/healthz", () => Results.Text("ok: local Slack workspace stand-in (not Slack)"));
        endpoints.MapGet("/local/conversation", (SlackWorkspace workspace) => Results.Json(workspace.Snapshot()));
        endpoints.MapGet("/local/stream", StreamAsync);
        endpoints.MapPost("/local/messages", PostAsync);
        endpoints.MapGet("/local/app", (SlackWorkspace workspace) => Results.Json(workspace.Snapshot().App));
        endpoints.MapPut("/local/app/events-url", SetEventsUrlAsync);
        endpoints.MapPut("/local/app/scopes", SetScopes);
        endpoints.MapPost("/local/events/{eventId}/redeliver", RedeliverAsync);
    }

    private static async Task<IResult> PostAsync(PostRequest request, SlackWorkspace workspace)
    {
        try
        {
            var posted = await workspace.PostAsUserAsync(request.User ?? "", request.Text ?? "", request.ThreadTs);
            return Results.Json(posted);
        }
        catch (WorkspaceInputException exception)
        {
            return Results.Json(new { error = exception.Message }, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> SetEventsUrlAsync(EventsUrlRequest request, SlackWorkspace workspace)
    {
        try
        {
            Uri? url = null;
            if (!string.IsNullOrWhiteSpace(request.Url)
                && !Uri.TryCreate(request.Url.Trim(), UriKind.Absolute, out url))
            {
                throw new WorkspaceInputException(
                    $"'{request.Url}' is not a URL; use e.g. http://127.0.0.1:5080/api/slack/events/<channel id>.");
            }

            return Results.Json(await workspace.SetEventsUrlAsync(url));
        }
        catch (WorkspaceInputException exception)
        {
            return Results.Json(new { error = exception.Message }, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static IResult SetScopes(ScopesRequest request, WorkspaceState state, SlackWorkspace workspace)
    {
        state.SetScopes(request.Scopes ?? []);
        return Results.Json(workspace.Snapshot().App);
    }

    private static async Task<IResult> RedeliverAsync(string eventId, EventSender events)
    {
        try
        {
            return Results.Json(await events.RedeliverAsync(eventId, "http_timeout"));
        }
        catch (KeyNotFoundException exception)
        {
            return Results.Json(new { error = exception.Message }, statusCode: StatusCodes.Status404NotFound);
        }
    }

    /// <summary>Server-sent events: one <c>change</c> event with the new version whenever anything changes.</summary>
    private static async Task StreamAsync(
        HttpContext context, WorkspaceState state, IHostApplicationLifetime lifetime)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var seen = -1L;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var version = state.Version;
                if (version != seen)
                {
                    seen = version;
                    await context.Response.WriteAsync(
                        $"event: change\ndata: {JsonSerializer.Serialize(new { version }, StandInJson.Options)}\n\n",
                        stop.Token);
                }
                else
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", stop.Token);
                }

                await context.Response.Body.FlushAsync(stop.Token);
                await WaitQuietlyAsync(state.WaitForChangeAsync(seen, stop.Token).WaitAsync(KeepAlive, stop.Token));
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away or the stand-in is stopping.
        }
    }

    private static async Task WaitQuietlyAsync(Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException)
        {
            // Nothing changed for a while: the loop sends a keep-alive.
        }
    }

    private sealed record PostRequest(string? User, string? Text, string? ThreadTs);

    private sealed record EventsUrlRequest(string? Url);

    private sealed record ScopesRequest(IReadOnlyList<string>? Scopes);
}
