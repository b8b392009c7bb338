using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dagen.StandIns.Slack;

/// <summary>
/// The Slack Web API methods the product calls, under <c>/api/</c>, answering as Slack does: HTTP 200 with
/// <c>{"ok":true,…}</c> or <c>{"ok":false,"error":…}</c>, and HTTP 429 with <c>Retry-After</c> when rate limited.
/// </summary>
internal static partial class WebApiEndpoints
{
    /// <summary>Slack truncates past this; newer workspaces refuse it with <c>msg_too_long</c>.</summary>
    private const int MaxTextLength = 40_000;

    private const int MaxBlocks = 50;

    private const int MaxSectionText = 3_000;

    public static void MapSlackWebApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/api/{method}", ["GET", "POST"], HandleAsync);
    }

    private static async Task<IResult> HandleAsync(
        string method, HttpContext context, LocalSlackOptions options, WorkspaceState state, TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Dagen.StandIns.Slack.WebApi");
        var request = await ApiRequest.ReadAsync(context.Request, context.RequestAborted);
        var call = new Call(method, request, state, time);

        var result = Authenticate(request, options)
            ?? request.BodyError
            ?? (state.TakeFault(method) is { } fault ? call.Fault(fault) : (object?)null);
        if (result is not null)
        {
            return Finish(call, result, logger);
        }

        var answer = method switch
        {
            "auth.test" => AuthTest(context),
            "chat.postMessage" => PostMessage(call, time),
            "chat.update" => Update(call),
            "reactions.add" => AddReaction(call),
            _ => Error("unknown_method"),
        };
        return Finish(call, answer, logger);
    }

    private static object? Authenticate(ApiRequest request, LocalSlackOptions options)
    {
        if (request.Token is null)
        {
            return "not_authed";
        }

        var given = Encoding.UTF8.GetBytes(request.Token);
        var expected = Encoding.UTF8.GetBytes(options.BotToken);
        return CryptographicOperations.FixedTimeEquals(given, expected) ? null : "invalid_auth";
    }

    private static JsonObject AuthTest(HttpContext context) => new()
    {
        ["ok"] = true,
        ["url"] = $"{context.Request.Scheme}://{context.Request.Host}/",
        ["team"] = LocalWorkspace.TeamName,
        ["user"] = LocalWorkspace.Dagen.Name,
        ["team_id"] = LocalWorkspace.TeamId,
        ["user_id"] = LocalWorkspace.BotUserId,
        ["bot_id"] = LocalWorkspace.BotId,
        ["is_enterprise_install"] = false,
    };

    private static object PostMessage(Call call, TimeProvider time)
    {
        if (call.CheckChannel("chat:write") is { } refused)
        {
            return refused;
        }

        var content = ReadContent(call.Request);
        if (content.Error is { } error)
        {
            return error;
        }

        string? parent = null;
        if (call.Request["thread_ts"] is { } threadTs)
        {
            // Stricter than Slack, which may accept an unknown thread_ts: a reply to nothing is a bug to see.
            parent = call.State.ThreadParent(threadTs);
            if (parent is null)
            {
                return Error("thread_not_found");
            }
        }

        var message = call.State.Add(new MessageEntry
        {
            Ts = call.State.NextTs(),
            ThreadTs = parent,
            UserId = LocalWorkspace.BotUserId,
            BotId = LocalWorkspace.BotId,
            Text = content.Text!,
            Warnings = MrkdwnCheck.Warnings(content.Text!),
            Source = MessageSource.Bot,
            Blocks = content.Blocks,
            PostedAt = time.GetUtcNow(),
        });
        return new JsonObject
        {
            ["ok"] = true,
            ["channel"] = LocalWorkspace.ChannelId,
            ["ts"] = message.Ts,
            ["message"] = MessageJson(message),
        };
    }

    private static object Update(Call call)
    {
        if (call.CheckChannel("chat:write") is { } refused)
        {
            return refused;
        }

        if (call.Request["ts"] is not { } ts)
        {
            return Error("message_not_found");
        }

        var content = ReadContent(call.Request);
        if (content.Error is { } error)
        {
            return error;
        }

        var (outcome, message) = call.State.Update(ts, LocalWorkspace.BotUserId, content.Text!, content.Blocks);
        return outcome switch
        {
            UpdateOutcome.MessageNotFound => Error("message_not_found"),
            UpdateOutcome.NotAuthor => Error("cant_update_message"),
            _ => new JsonObject
            {
                ["ok"] = true,
                ["channel"] = LocalWorkspace.ChannelId,
                ["ts"] = ts,
                ["text"] = message!.Text,
                ["message"] = MessageJson(message),
            },
        };
    }

    private static object AddReaction(Call call)
    {
        if (call.CheckChannel("reactions:write") is { } refused)
        {
            return refused;
        }

        var name = call.Request["name"];
        if (name is null || name.Contains(':', StringComparison.Ordinal)
            || name.Contains(' ', StringComparison.Ordinal))
        {
            return Error("invalid_name");
        }

        if (call.Request["timestamp"] is not { } ts)
        {
            return Error("no_item_specified");
        }

        return call.State.AddReaction(ts, name, LocalWorkspace.BotUserId) switch
        {
            ReactionOutcome.MessageNotFound => Error("message_not_found"),
            ReactionOutcome.AlreadyReacted => Error("already_reacted"),
            _ => new JsonObject { ["ok"] = true },
        };
    }

    /// <summary>The message's text and blocks, or Slack's error when they are missing or too large.</summary>
    private static (string? Text, string? Blocks, object? Error) ReadContent(ApiRequest request)
    {
        var text = request["text"];
        var blocks = request["blocks"];
        if (blocks is not null && CheckBlocks(blocks) is { } blocksError)
        {
            return (null, null, Error(blocksError));
        }

        if (text is null && blocks is null)
        {
            return (null, null, Error("no_text"));
        }

        if (text is { Length: > MaxTextLength })
        {
            return (null, null, Error("msg_too_long"));
        }

        return (text ?? TextOfBlocks(blocks!), blocks, null);
    }

    private static string? CheckBlocks(string blocks)
    {
        try
        {
            using var json = JsonDocument.Parse(blocks);
            if (json.RootElement.ValueKind != JsonValueKind.Array || json.RootElement.GetArrayLength() > MaxBlocks)
            {
                return "invalid_blocks";
            }

            foreach (var block in json.RootElement.EnumerateArray())
            {
                if (block.TryGetProperty("text", out var text)
                    && text.TryGetProperty("text", out var body)
                    && body.GetString() is { Length: > MaxSectionText })
                {
                    return "invalid_blocks";
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return "invalid_blocks_format";
        }
    }

    private static string TextOfBlocks(string blocks)
    {
        using var json = JsonDocument.Parse(blocks);
        var parts = json.RootElement.EnumerateArray()
            .Where(b => b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.Object)
            .Select(b => b.GetProperty("text").GetProperty("text").GetString());
        return string.Join('\n', parts);
    }

    private static JsonObject MessageJson(RecordedMessage message)
    {
        var json = new JsonObject
        {
            ["type"] = "message",
            ["text"] = message.Text,
            ["user"] = message.UserId,
            ["bot_id"] = message.BotId,
            ["app_id"] = LocalWorkspace.AppId,
            ["team"] = LocalWorkspace.TeamId,
            ["ts"] = message.Ts,
        };
        if (message.ThreadTs is not null)
        {
            json["thread_ts"] = message.ThreadTs;
        }

        if (message.EditedAt is { } edited)
        {
            json["edited"] = new JsonObject
            {
                ["user"] = message.UserId,
                ["ts"] = edited.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ".000000",
            };
        }

        return json;
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static IResult Finish(Call call, object answer, ILogger logger)
    {
        var json = answer switch
        {
            string code => Error(code),
            JsonObject body => body,
            IResult result => null,
            _ => throw new InvalidOperationException($"Unexpected answer {answer.GetType().Name}."),
        };
        var ok = json?["ok"]?.GetValue<bool>() ?? false;
        var error = json?["error"]?.GetValue<string>() ?? (answer is IResult ? call.FaultError : null);
        call.State.Record(new RecordedApiCall(call.Method, ok, error, call.Request["channel"], call.Time.GetUtcNow()));
        if (ok)
        {
            LogCall(logger, call.Method, call.Request["channel"]);
        }
        else
        {
            LogRefused(logger, call.Method, error ?? "unknown");
        }

        return answer as IResult ?? Results.Json(json);
    }

    /// <summary>One call in progress: its arguments and the checks every channel method shares.</summary>
    private sealed class Call(string method, ApiRequest request, WorkspaceState state, TimeProvider time)
    {
        public string Method { get; } = method;

        public ApiRequest Request { get; } = request;

        public WorkspaceState State { get; } = state;

        public TimeProvider Time { get; } = time;

        public string? FaultError { get; private set; }

        public object? CheckChannel(string scope)
        {
            if (!State.HasScope(scope))
            {
                var refusal = Error("missing_scope");
                refusal["needed"] = scope;
                refusal["provided"] = State.Scopes();
                return refusal;
            }

            var channel = Request["channel"]?.TrimStart('#');
            if (channel is not (LocalWorkspace.ChannelId or LocalWorkspace.ChannelName))
            {
                return Error("channel_not_found");
            }

            return State.BotInChannel ? null : Error("not_in_channel");
        }

        public IResult Fault(SlackFault fault)
        {
            FaultError = fault.Error;
            return new FaultResult(fault);
        }
    }

    private sealed class FaultResult(SlackFault fault) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = fault.HttpStatus;
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return context.Response.WriteAsJsonAsync(Error(fault.Error));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Web API {Method} in {Channel}: ok")]
    private static partial void LogCall(ILogger logger, string method, string? channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web API {Method} answered error {Error}")]
    private static partial void LogRefused(ILogger logger, string method, string error);
}
