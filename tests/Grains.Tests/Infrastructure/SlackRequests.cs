using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dagen.Gateway.Slack;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Events API requests shaped like the examples in Slack's documentation, with invented ids (team T0TEST, bot
/// user U0DAGEN), signed as Slack signs them. Bodies are kept as bytes so a test controls exactly what is hashed.
/// </summary>
public static class SlackRequests
{
    public const string TeamId = "T0TEST";
    public const string BotUserId = "U0DAGEN";

    public static string NewEventId() => "Ev0" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    /// <summary>
    /// An <c>event_callback</c> carrying an <c>app_mention</c>; <paramref name="extraEvent"/> is added to the event.
    /// </summary>
    public static string AppMention(
        string eventId, string user = "U0ALICE", string text = "<@U0DAGEN> what tables are in analytics?",
        string? threadTs = null, string extraEvent = "", string team = TeamId)
    {
        var thread = threadTs is null ? "" : $"\"thread_ts\":\"{threadTs}\",";
        return $$"""
            {"token":"Zz0TestVerificationToken","team_id":"{{team}}","api_app_id":"A0DAGEN",
             "event":{"type":"app_mention","user":"{{user}}","text":{{Json(text)}},"ts":"1764579600.000100",
              {{thread}}{{extraEvent}}"channel":"C0GENERAL","event_ts":"1764579600.000100","team":"{{team}}"},
             "type":"event_callback","event_id":"{{eventId}}","event_time":1764579600,
             "authorizations":[{"enterprise_id":null,"team_id":"{{team}}","user_id":"{{BotUserId}}","is_bot":true,
              "is_enterprise_install":false}],
             "is_ext_shared_channel":false,"event_context":"4-eyJldCI6ImFwcF9tZW50aW9uIn0"}
            """;
    }

    public static string UrlVerification(string challenge) =>
        $$"""{"token":"Zz0TestVerificationToken","challenge":"{{challenge}}","type":"url_verification"}""";

    public static string OtherEvent(string eventId, string type) =>
        $$"""
        {"token":"Zz0TestVerificationToken","team_id":"T0TEST","api_app_id":"A0DAGEN",
         "event":{"type":"{{type}}","user":"U0ALICE","channel":"C0GENERAL","ts":"1764579600.000200",
          "event_ts":"1764579600.000200"},
         "type":"event_callback","event_id":"{{eventId}}","event_time":1764579600}
        """;

    /// <summary>A POST to a channel's Event Subscription URL, signed with <paramref name="signingSecret"/>.</summary>
    public static HttpRequestMessage Signed(
        string channelId, string body, string signingSecret, DateTimeOffset signedAt, int? retryNum = null,
        string contentType = "application/json") =>
        Signed(channelId, Encoding.UTF8.GetBytes(body), signingSecret, signedAt, retryNum, contentType);

    /// <summary>The same, for bytes that need not be UTF-8 text.</summary>
    public static HttpRequestMessage Signed(
        string channelId, byte[] bytes, string signingSecret, DateTimeOffset signedAt, int? retryNum = null,
        string contentType = "application/json")
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = Unsigned(channelId, bytes, contentType);
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader, SlackSignature.Compute(signingSecret, timestamp, bytes));
        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return request;
    }

    public static HttpRequestMessage Unsigned(string channelId, byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, $"/api/slack/events/{channelId}") { Content = content };
    }

    /// <summary>A JSON string as Slack writes it: non-ASCII text and punctuation stay as they are.</summary>
    private static string Json(string value) => JsonSerializer.Serialize(value, RawText);

    private static readonly JsonSerializerOptions RawText =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
