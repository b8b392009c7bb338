using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dagen.StandIns.Hosting;

namespace Dagen.StandIns.Dagen;

/// <summary>A chat completion request the stand-in received, for tests. The bearer token is not kept.</summary>
public sealed record RecordedChat(
    string Model, IReadOnlyList<ChatTurn> Messages, bool Stream, string? User, DateTimeOffset At);

/// <summary>
/// The OpenAI-compatible agent endpoint under <c>/v1</c>: <c>GET /v1/models</c> and
/// <c>POST /v1/chat/completions</c>, plain or streamed as server-sent events, answered by
/// <see cref="StandInAgent"/>. Errors use OpenAI's <c>{"error":{…}}</c> shape.
/// </summary>
internal static partial class AgentEndpoints
{
    public static void MapAgentApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<LocalDagenOptions>();
            return BearerCheck.IsAuthorized(context.HttpContext.Request, options.ApiToken)
                ? await next(context)
                : Error(StatusCodes.Status401Unauthorized, "invalid_api_key",
                    "Missing or wrong API key; send Authorization: Bearer <Agents:ApiKey>.");
        });
        api.MapGet("/models", ListModels);
        api.MapPost("/chat/completions", CompleteAsync);
    }

    private static IResult ListModels(LocalDagenOptions options, TimeProvider time) => Results.Json(new
    {
        @object = "list",
        data = options.Models.Select(m => new
        {
            id = m,
            @object = "model",
            created = time.GetUtcNow().ToUnixTimeSeconds(),
            owned_by = "dagen-local-standin",
        }),
    });

    private static async Task CompleteAsync(
        HttpContext context, LocalDagenOptions options, StandInAgent agent, TimeProvider time,
        ConcurrentQueue<RecordedChat> chats, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Dagen.StandIns.Dagen.Agents");
        var (request, problem) = await ReadAsync(context.Request, options);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        chats.Enqueue(request! with { At = time.GetUtcNow() });
        var answer = agent.Answer(request!.Model, request.Messages);
        var id = "chatcmpl-local-" + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(request.Model + "\n" + answer)))[..24];
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var usage = Usage(request.Messages, answer);
        LogCompletion(logger, request.Model, request.Messages.Count, request.Stream);

        if (!request.Stream)
        {
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = request.Model,
                ["system_fingerprint"] = "local-standin",
                ["choices"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject
                        {
                            ["role"] = "assistant",
                            ["content"] = answer,
                            ["refusal"] = null,
                        },
                        ["logprobs"] = null,
                        ["finish_reason"] = "stop",
                    },
                },
                ["usage"] = usage,
            });
            return;
        }

        await StreamAsync(context, options, id, created, request.Model, answer, usage);
    }

    private static async Task StreamAsync(
        HttpContext context, LocalDagenOptions options, string id, long created, string model, string answer,
        JsonObject usage)
    {
        var cancellationToken = context.RequestAborted;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";

        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["system_fingerprint"] = "local-standin",
            ["choices"] = new JsonArray
            {
                new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish },
            },
        };

        async Task SendAsync(JsonObject chunk)
        {
            var line = $"data: {chunk.ToJsonString(StandInJson.Options)}\n\n";
            await context.Response.WriteAsync(line, cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
        }

        await SendAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        foreach (var piece in Pieces(answer))
        {
            // Real time, not the stand-in's clock: the pause only paces the stream for a person to watch.
            if (options.StreamChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.StreamChunkDelay, cancellationToken);
            }

            await SendAsync(Chunk(new JsonObject { ["content"] = piece }, null));
        }

        await SendAsync(Chunk(new JsonObject(), "stop"));
        var last = Chunk(new JsonObject(), null);
        last["choices"] = new JsonArray();
        last["usage"] = usage.DeepClone();
        await SendAsync(last);
        await context.Response.WriteAsync("data: [DONE]\n\n", cancellationToken);
    }

    /// <summary>The answer in pieces of a few words, keeping every character, line breaks included.</summary>
    private static IEnumerable<string> Pieces(string answer)
    {
        const int WordsPerPiece = 4;
        var piece = new StringBuilder();
        var words = 0;
        foreach (var c in answer)
        {
            piece.Append(c);
            if (char.IsWhiteSpace(c) && ++words == WordsPerPiece)
            {
                yield return piece.ToString();
                piece.Clear();
                words = 0;
            }
        }

        if (piece.Length > 0)
        {
            yield return piece.ToString();
        }
    }

    private static JsonObject Usage(IReadOnlyList<ChatTurn> messages, string answer)
    {
        static int Tokens(string text) =>
            Math.Max(1, text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);

        var prompt = messages.Sum(m => Tokens(m.Content));
        var completion = Tokens(answer);
        return new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = completion,
            ["total_tokens"] = prompt + completion,
        };
    }

    private static async Task<(RecordedChat? Request, IResult? Problem)> ReadAsync(
        HttpRequest request, LocalDagenOptions options)
    {
        JsonDocument json;
        try
        {
            json = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_json", "The body is not valid JSON."));
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
            {
                return (null, Error(StatusCodes.Status400BadRequest, "missing_model", "'model' is required."));
            }

            var name = model.GetString()!;
            if (!options.Models.Contains(name))
            {
                return (null, Error(StatusCodes.Status404NotFound, "model_not_found",
                    $"The model '{name}' does not exist; GET /v1/models lists {string.Join(", ", options.Models)}."));
            }

            if (!root.TryGetProperty("messages", out var list) || list.ValueKind != JsonValueKind.Array
                || list.GetArrayLength() == 0)
            {
                return (null, Error(StatusCodes.Status400BadRequest, "missing_messages",
                    "'messages' must be a non-empty array."));
            }

            var turns = new List<ChatTurn>();
            foreach (var message in list.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object
                    || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
                {
                    return (null, Error(StatusCodes.Status400BadRequest, "invalid_message",
                        "Every message needs a 'role' and 'content'."));
                }

                turns.Add(new ChatTurn(role.GetString()!, ContentOf(message)));
            }

            var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var user = root.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.String
                ? u.GetString()
                : null;
            return (new RecordedChat(name, turns, stream, user, default), null);
        }
    }

    /// <summary>Content as a string, or the text parts of a content array joined, as OpenAI accepts both.</summary>
    private static string ContentOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return "";
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => string.Concat(content.EnumerateArray()
                .Where(p => p.TryGetProperty("type", out var t) && t.GetString() == "text")
                .Select(p => p.GetProperty("text").GetString())),
            _ => "",
        };
    }

    private static IResult Error(int status, string code, string message) => Results.Json(
        new { error = new { message, type = "invalid_request_error", param = (string?)null, code } },
        statusCode: status);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Agent stand-in answered model {Model} ({Turns} messages, streamed: {Streamed})")]
    private static partial void LogCompletion(ILogger logger, string model, int turns, bool streamed);
}
