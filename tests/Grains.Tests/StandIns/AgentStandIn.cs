using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.StandIns;

/// <summary>
/// A small OpenAI-compatible server on 127.0.0.1 with a port the OS chooses: <c>POST /v1/chat/completions</c>
/// and <c>GET /v1/models</c>. It records every chat request. Replies are scripted per <c>user</c> field (each
/// test has users of its own); without a script it echoes the last question.
/// </summary>
public sealed class AgentStandIn : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StandInReply>> _scripts = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The <c>/v1</c> address the silo's <c>Agents:BaseUrl</c> points at.</summary>
    public string V1Url => BaseUrl + "/v1";

    public ConcurrentQueue<RecordedChatRequest> Requests { get; } = new();

    public IReadOnlyList<string> Models { get; set; } = ["super-agent", "dbt", "ingestion"];

    /// <summary>Queues replies for requests whose <c>user</c> field is <paramref name="user"/>, in order.</summary>
    public void Script(string user, params StandInReply[] replies)
    {
        var queue = _scripts.GetOrAdd(user, _ => new ConcurrentQueue<StandInReply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public IReadOnlyList<RecordedChatRequest> RequestsOf(string user) =>
        Requests.Where(r => r.User == user).ToList();

    /// <summary>Waits (bounded, real time) until <paramref name="count"/> requests came from a user.</summary>
    public async Task WaitForRequestsAsync(string user, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (RequestsOf(user).Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {count} agent requests from {user}.");
            }

            await Task.Delay(20);
        }
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", (Delegate)ChatAsync);
        _app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = Models.Select(id => new { id, @object = "model", created = 1_700_000_000, owned_by = "dagen" }),
        }));
        await _app.StartAsync();

        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("The stand-in has no address.");
        BaseUrl = addresses.Addresses.Single().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> ChatAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var model = body?["model"]?.GetValue<string>() ?? "";
        var user = body?["user"]?.GetValue<string>() ?? "";
        var messages = body?["messages"]?.AsArray()
            .Select(m => new RecordedMessage(m?["role"]?.GetValue<string>() ?? "", ContentOf(m?["content"])))
            .ToList() ?? [];
        var request = new RecordedChatRequest(
            model, user, messages, context.Request.Headers.Authorization.ToString(), body?["stream"] is not null);
        Requests.Enqueue(request);

        var reply = _scripts.TryGetValue(user, out var queue) && queue.TryDequeue(out var next)
            ? next
            : StandInReply.Answer($"You said: {messages.LastOrDefault()?.Content}");

        if (reply.Gate is { } gate)
        {
            try
            {
                await gate.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }

        if (reply.FailWith is { } status)
        {
            return Results.Json(new { error = new { message = "stand-in failure", type = "server_error" } },
                statusCode: status);
        }

        return Results.Json(new
        {
            id = $"chatcmpl-{Guid.NewGuid():N}",
            @object = "chat.completion",
            created = 1_700_000_000,
            model,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = reply.Text }, finish_reason = "stop" },
            },
            usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
        });
    }

    private static string ContentOf(JsonNode? content) => content switch
    {
        null => "",
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => content.ToJsonString(new JsonSerializerOptions()),
    };
}

/// <summary>What the stand-in does with one request: answer, fail with a status, or wait for a gate first.</summary>
public sealed record StandInReply(string Text, int? FailWith = null, TaskCompletionSource? Gate = null)
{
    public static StandInReply Answer(string text) => new(text);

    public static StandInReply Fail(int status) => new("", status);

    /// <summary>Holds the request until <paramref name="gate"/> opens (or the caller gives up), then answers.</summary>
    public static StandInReply Held(TaskCompletionSource gate, string text) => new(text, null, gate);
}

public sealed record RecordedChatRequest(
    string Model, string User, IReadOnlyList<RecordedMessage> Messages, string Authorization, bool Streamed);

public sealed record RecordedMessage(string Role, string Content);
