using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dagen.StandIns.Slack;

/// <summary>An Events API request body as Slack sends it, ready to be signed and sent (and sent again).</summary>
public sealed record OutgoingEvent(string EventId, string EventType, byte[] Body)
{
    private const string EventIdAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// An <c>event_callback</c> carrying an <c>app_mention</c> for <paramref name="message"/>, with a fresh
    /// <c>event_id</c>. <paramref name="parentUserId"/> is the author of the thread's first message, if in one.
    /// </summary>
    public static OutgoingEvent AppMention(
        RecordedMessage message, LocalUser author, JsonArray blocks, string? parentUserId)
    {
        var mention = new JsonObject
        {
            ["user"] = author.Id,
            ["type"] = "app_mention",
            ["ts"] = message.Ts,
        };
        if (author.IsBot)
        {
            mention["bot_id"] = author.BotId;
        }
        else
        {
            mention["client_msg_id"] = Guid.NewGuid().ToString();
        }

        mention["text"] = message.Text;
        mention["team"] = LocalWorkspace.TeamId;
        if (message.IsReply)
        {
            mention["thread_ts"] = message.ThreadTs;
            mention["parent_user_id"] = parentUserId;
        }

        mention["blocks"] = blocks;
        mention["channel"] = LocalWorkspace.ChannelId;
        mention["event_ts"] = message.Ts;

        var eventId = NewEventId();
        var envelope = new JsonObject
        {
            ["token"] = LocalWorkspace.VerificationToken,
            ["team_id"] = LocalWorkspace.TeamId,
            ["context_team_id"] = LocalWorkspace.TeamId,
            ["context_enterprise_id"] = null,
            ["api_app_id"] = LocalWorkspace.AppId,
            ["event"] = mention,
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = message.PostedAt.ToUnixTimeSeconds(),
            ["authorizations"] = new JsonArray
            {
                new JsonObject
                {
                    ["enterprise_id"] = null,
                    ["team_id"] = LocalWorkspace.TeamId,
                    ["user_id"] = LocalWorkspace.BotUserId,
                    ["is_bot"] = true,
                    ["is_enterprise_install"] = false,
                },
            },
            ["is_ext_shared_channel"] = false,
            ["event_context"] = "4-local-" + eventId,
        };
        return new OutgoingEvent(eventId, "app_mention", JsonSerializer.SerializeToUtf8Bytes(envelope, Json));
    }

    /// <summary>
    /// The challenge Slack sends when a Request URL is saved, and the challenge text it expects back.
    /// </summary>
    public static (OutgoingEvent Event, string Challenge) UrlVerification()
    {
        var challenge = RandomNumberGenerator.GetHexString(48, lowercase: true);
        var body = new JsonObject
        {
            ["token"] = LocalWorkspace.VerificationToken,
            ["challenge"] = challenge,
            ["type"] = "url_verification",
        };
        var verification = new OutgoingEvent(
            "url_verification", "url_verification", JsonSerializer.SerializeToUtf8Bytes(body, Json));
        return (verification, challenge);
    }

    /// <summary>A fresh id in Slack's style: <c>Ev</c> and nine capitals or digits.</summary>
    public static string NewEventId() => "Ev" + RandomNumberGenerator.GetString(EventIdAlphabet, 9);
}
