using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dagen.EndToEnd.Tests.Infrastructure;

/// <summary>An HTTP request as the recorder received it: headers and the raw body bytes.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// Stands where the gateway would be, on 127.0.0.1 with a free port. Its Events endpoint records every request
/// and answers as told: the url_verification challenge, then <see cref="NextStatuses"/> or 200. Its settings
/// endpoint (<c>POST /api/channels</c>, the shape the gateway's settings API is agreed to have) records the
/// channel and answers with an id and Event Subscription URL pointing back at this recorder.
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private EventRecorder(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Statuses to answer the next event requests with, in order; 200 once empty.</summary>
    public ConcurrentQueue<(int Status, bool NoRetry)> NextStatuses { get; } = new();

    /// <summary>How long to wait before answering event requests (to make Slack's time-out happen).</summary>
    public TimeSpan AnswerDelay { get; set; }

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>The bearer token the settings endpoint accepts.</summary>
    public string AdminToken { get; set; } = "admin-test-token";

    /// <summary>Bodies of the channels created through the settings endpoint.</summary>
    public ConcurrentQueue<JsonElement> Channels { get; } = new();

    public Uri EventsUrl(string channelId) => new(BaseUrl, $"api/slack/events/{channelId}");

    public static async Task<EventRecorder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var recorder = new EventRecorder(app);
        app.MapPost("/api/slack/events/{channelId}", (Func<HttpContext, Task<IResult>>)recorder.ReceiveAsync);
        app.MapPost("/api/channels", (Func<HttpContext, Task<IResult>>)recorder.CreateChannelAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        var address = addresses.Addresses.First();
        recorder.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return recorder;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived; fails the test after 10 s.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_received.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Expected {count} requests at the recorder, got {_received.Count}.");
            }
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task<IResult> CreateChannelAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {AdminToken}")
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var channel = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
        Channels.Enqueue(channel);
        var id = $"ch-{Channels.Count}";
        return Results.Json(
            new
            {
                id,
                name = channel.GetProperty("name").GetString(),
                eventSubscriptionUrl = EventsUrl(id).ToString(),
            },
            statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var request = new ReceivedRequest(
            context.Request.Path,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            buffer.ToArray());
        _received.Enqueue(request);
        _arrived.Release();

        using var json = JsonDocument.Parse(request.Body);
        if (json.RootElement.GetProperty("type").GetString() == "url_verification")
        {
            return Results.Text(json.RootElement.GetProperty("challenge").GetString(), "text/plain", Encoding.UTF8);
        }

        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay);
        }

        var (status, noRetry) = NextStatuses.TryDequeue(out var next) ? next : (200, false);
        if (noRetry)
        {
            context.Response.Headers["X-Slack-No-Retry"] = "1";
        }

        return Results.StatusCode(status);
    }
}
