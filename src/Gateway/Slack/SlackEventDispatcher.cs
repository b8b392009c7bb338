using System.Text.Json;
using Dagen.Gateway.Hosting;
using Dagen.Grains.Slack;
using Microsoft.Extensions.Options;

namespace Dagen.Gateway.Slack;

/// <summary>
/// Acts on a verified Events API payload: answers <c>url_verification</c>, hands each <c>app_mention</c> from a
/// person to its event's dedup grain, and acknowledges everything else without acting on it.
/// </summary>
public sealed partial class SlackEventDispatcher(
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    TimeProvider clock,
    ILogger<SlackEventDispatcher> logger)
{
    private const int MaxEventIdLength = 64;

    private readonly GatewayOptions _options = options.Value;

    /// <summary>The answer to one verified request, and what became of its event.</summary>
    public sealed record Dispatch(IResult Result, string? Outcome = null, bool NoRetry = false);

    public async Task<Dispatch> DispatchAsync(string channelId, byte[] body, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            LogBadPayload(channelId, $"malformed JSON at byte {exception.BytePositionInLine} of line "
                + $"{exception.LineNumber}");
            return BadRequest("The body is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                LogBadPayload(channelId, "the JSON is not an object");
                return BadRequest("The body is not a Slack Events API payload (a JSON object).");
            }

            return Text(root, "type") switch
            {
                "url_verification" => Verify(channelId, root),
                "event_callback" => await OnEventAsync(channelId, root, cancellationToken),
                var type => Ignore(channelId, type ?? "(none)", "payload type"),
            };
        }
    }

    private Dispatch Verify(string channelId, JsonElement root)
    {
        if (Text(root, "challenge") is not { } challenge)
        {
            LogBadPayload(channelId, "url_verification without a challenge");
            return BadRequest("A url_verification payload needs a challenge.");
        }

        LogVerified(channelId);
        return new Dispatch(Results.Json(new { challenge }));
    }

    private async Task<Dispatch> OnEventAsync(string channelId, JsonElement root, CancellationToken cancellationToken)
    {
        if (!root.TryGetProperty("event", out var slackEvent) || slackEvent.ValueKind != JsonValueKind.Object)
        {
            LogBadPayload(channelId, "event_callback without an event object");
            return BadRequest("An event_callback payload needs an event object.");
        }

        var type = Text(slackEvent, "type");
        if (type != "app_mention")
        {
            return Ignore(channelId, type ?? "(none)", "event type");
        }

        var botUserIds = BotUserIds(root);
        var user = Text(slackEvent, "user");
        if (Has(slackEvent, "bot_id") || Text(slackEvent, "subtype") == "bot_message"
            || (user is not null && botUserIds.Contains(user)))
        {
            return Ignore(channelId, "app_mention", "author (a bot)");
        }

        if (ReadMention(channelId, root, slackEvent, user, botUserIds) is not { } mention)
        {
            return BadRequest("The app_mention event lacks event_id, team_id, user, channel, ts or text, or its "
                + "event_id is not a Slack event id.");
        }

        bool handled;
        try
        {
            handled = await grains.GetGrain<IEventDedupGrain>(mention.EventId)
                .HandleOnceAsync(mention)
                .WaitAsync(_options.ClusterCallTimeout, clock, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // No X-Slack-No-Retry: the retry finds the claim if this one got through, and makes it if not.
            LogHandOffFailed(channelId, mention.EventId, exception.GetType().Name, exception.Message);
            return new Dispatch(Results.Problem(
                detail: "The cluster did not take the event in time; Slack will retry.", statusCode: 503));
        }

        LogMention(channelId, mention.EventId, handled);
        return new Dispatch(Results.Ok(), handled ? "handled" : "duplicate");
    }

    private SlackMention? ReadMention(
        string channelId, JsonElement root, JsonElement slackEvent, string? user, IReadOnlyList<string> botUserIds)
    {
        var eventId = Text(root, "event_id");
        var teamId = Text(root, "team_id") ?? Text(slackEvent, "team");
        var slackChannel = Text(slackEvent, "channel");
        var ts = Text(slackEvent, "ts");
        var text = Text(slackEvent, "text");
        if (eventId is null || eventId.Length > MaxEventIdLength || !eventId.All(char.IsAsciiLetterOrDigit)
            || teamId is null || user is null || slackChannel is null || ts is null || text is null)
        {
            LogBadPayload(channelId, "app_mention without the fields a reply needs");
            return null;
        }

        var eventTime = root.TryGetProperty("event_time", out var time) && time.TryGetInt64(out var seconds)
            && seconds >= 0 && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : clock.GetUtcNow();

        return new SlackMention
        {
            EventId = eventId,
            ChannelId = channelId,
            TeamId = teamId,
            UserId = user,
            SlackChannel = slackChannel,
            Ts = ts,
            ThreadTs = Text(slackEvent, "thread_ts"),
            Text = text,
            BotUserIds = botUserIds,
            EventTime = eventTime,
        };
    }

    /// <summary>The bot's own user ids, from <c>authorizations</c> (and the older <c>authed_users</c>).</summary>
    private static IReadOnlyList<string> BotUserIds(JsonElement root)
    {
        var ids = new List<string>();
        if (root.TryGetProperty("authorizations", out var authorizations)
            && authorizations.ValueKind == JsonValueKind.Array)
        {
            ids.AddRange(authorizations.EnumerateArray()
                .Where(a => a.ValueKind == JsonValueKind.Object && (!Has(a, "is_bot") || IsTrue(a, "is_bot")))
                .Select(a => Text(a, "user_id"))
                .OfType<string>());
        }

        if (root.TryGetProperty("authed_users", out var authed) && authed.ValueKind == JsonValueKind.Array)
        {
            ids.AddRange(authed.EnumerateArray().Select(StringValue).OfType<string>());
        }

        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A string property, or null when it is missing, not a string, or not valid UTF-8 text.</summary>
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? StringValue(value) : null;

    private static string? StringValue(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static bool Has(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
        && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private Dispatch Ignore(string channelId, string type, string why)
    {
        LogIgnored(channelId, type, why);
        return new Dispatch(Results.Ok(), "ignored");
    }

    private static Dispatch BadRequest(string detail) =>
        new(Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest), NoRetry: true);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Channel {ChannelId}: Slack verified the Event Subscription URL")]
    private partial void LogVerified(string channelId);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Channel {ChannelId}: mention {EventId} acknowledged (first copy: {Handled})")]
    private partial void LogMention(string channelId, string eventId, bool handled);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelId}: {Type} ignored for its {Why}")]
    private partial void LogIgnored(string channelId, string type, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelId}: signed payload refused: {Reason}")]
    private partial void LogBadPayload(string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Channel {ChannelId}: event {EventId} answered 503 (Slack will retry): the cluster did not take it. "
            + "{ErrorType}: {Reason}")]
    private partial void LogHandOffFailed(string channelId, string eventId, string errorType, string reason);
}
