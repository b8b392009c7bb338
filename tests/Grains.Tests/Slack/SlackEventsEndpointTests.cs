using System.Net;
using System.Text;
using System.Text.Json;
using Dagen.Gateway.Slack;
using Dagen.Grains.Channels;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.Slack;

[Collection(GatewayCollection.Name)]
public sealed class SlackEventsEndpointTests(GatewayFixture fixture)
{
    private async Task<(string ChannelId, string Secret)> NewChannelAsync()
    {
        var id = Keys.New("ch");
        var secret = Guid.NewGuid().ToString("N");
        var result = await fixture.Client.GetGrain<INotificationChannelGrain>(id).SaveAsync(new ChannelSettings
        {
            Name = "Events test",
            BotToken = "xoxb-test-0000-events",
            SigningSecret = secret,
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return (id, secret);
    }

    private Task<HttpResponseMessage> SendAsync(string channelId, string body, string secret, int? retryNum = null) =>
        fixture.Http.SendAsync(SlackRequests.Signed(channelId, body, secret, fixture.Clock.GetUtcNow(), retryNum));

    private static string? Outcome(HttpResponseMessage response) =>
        response.Headers.TryGetValues(SlackEventEndpoints.OutcomeHeader, out var values) ? values.Single() : null;

    private static bool NoRetry(HttpResponseMessage response) =>
        response.Headers.TryGetValues(SlackEventEndpoints.NoRetryHeader, out var values) && values.Single() == "1";

    private IReadOnlyList<Microsoft.Extensions.Logging.Testing.FakeLogRecord> LogsAbout(string channelId) =>
        [.. fixture.Logs.GetSnapshot().Where(r => r.Message.Contains(channelId, StringComparison.Ordinal))];

    [Fact]
    public async Task UrlVerificationIsAnsweredWithTheChallenge()
    {
        var (channelId, secret) = await NewChannelAsync();

        var body = SlackRequests.UrlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

        using var response = await SendAsync(channelId, body, secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            json.RootElement.GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task AnSslCheckIsAnsweredAndNothingElseIsDone()
    {
        var channelId = Keys.New("ch");
        var before = fixture.Logs.GetSnapshot().Count;

        using var response = await fixture.Http.SendAsync(SlackRequests.Unsigned(
            channelId, "ssl_check=1&token=Zz0TestVerificationToken"u8.ToArray(), "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(fixture.Logs.GetSnapshot().Skip(before), r => r.Level >= LogLevel.Warning);
        Assert.Null(await fixture.Client.GetGrain<INotificationChannelGrain>(channelId).GetAsync());
    }

    [Fact]
    public async Task AnAppMentionIsAcknowledgedAndHandedOnOnceWhateverTheRetries()
    {
        var (channelId, secret) = await NewChannelAsync();
        var eventId = SlackRequests.NewEventId();
        var body = SlackRequests.AppMention(eventId, threadTs: "1764579000.000050");

        var outcomes = new List<string?>();
        for (int? retry = null; (retry ?? 0) <= 3; retry = (retry ?? 0) + 1)
        {
            using var response = await SendAsync(channelId, body, secret, retry);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            outcomes.Add(Outcome(response));
        }

        Assert.Equal(["handled", "duplicate", "duplicate", "duplicate"], outcomes);
        var mention = Assert.Single(await fixture.Mentions.WaitForAsync(eventId));
        Assert.Equal(channelId, mention.ChannelId);
        Assert.Equal("T0TEST:U0ALICE", mention.SessionKey);
        Assert.Equal("1764579000.000050", mention.ReplyThreadTs);
        Assert.Equal(["U0DAGEN"], mention.BotUserIds);
    }

    [Theory]
    [InlineData("<@U0DAGEN> run daily+sync with 100%20 of rows")]
    [InlineData("<@U0DAGEN> Grüße aus Köln — wie viele Zeilen hat 東京_orders? ✅")]
    [InlineData("<@U0DAGEN> what's new!'()* &amp; &lt;ok&gt;")]
    public async Task SignedBodiesAreCheckedAsTheBytesSlackSent(string text)
    {
        var (channelId, secret) = await NewChannelAsync();
        var eventId = SlackRequests.NewEventId();

        using var response = await SendAsync(channelId, SlackRequests.AppMention(eventId, text: text), secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(text, Assert.Single(await fixture.Mentions.WaitForAsync(eventId)).Text);
    }

    [Theory]
    [InlineData(-299, HttpStatusCode.OK)]
    [InlineData(299, HttpStatusCode.OK)]
    [InlineData(-301, HttpStatusCode.Unauthorized)]
    [InlineData(301, HttpStatusCode.Unauthorized)]
    public async Task ClockSkewIsAcceptedUpToFiveMinutesEitherWay(int skewSeconds, HttpStatusCode expected)
    {
        var (channelId, secret) = await NewChannelAsync();
        var body = SlackRequests.AppMention(SlackRequests.NewEventId());

        using var response = await fixture.Http.SendAsync(SlackRequests.Signed(
            channelId, body, secret, fixture.Clock.GetUtcNow().AddSeconds(skewSeconds)));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("missing", "missing X-Slack-Request-Timestamp")]
    [InlineData("stale", "stale timestamp")]
    [InlineData("wrong secret", "bad signature")]
    [InlineData("altered body", "bad signature")]
    public async Task AnUnverifiedRequestGets401AndOneWarningWithTheReason(string kind, string reason)
    {
        var (channelId, secret) = await NewChannelAsync();
        var eventId = SlackRequests.NewEventId();
        var body = SlackRequests.AppMention(eventId);
        var now = fixture.Clock.GetUtcNow();
        using var request = kind switch
        {
            "missing" => SlackRequests.Unsigned(channelId, Encoding.UTF8.GetBytes(body)),
            "stale" => SlackRequests.Signed(channelId, body, secret, now.AddMinutes(-10)),
            "wrong secret" => SlackRequests.Signed(channelId, body, "another0secret0entirely0000000000", now),
            _ => Altered(SlackRequests.Signed(channelId, body, secret, now), body.Replace("U0ALICE", "U0MALLORY")),
        };
        var signature = request.Headers.TryGetValues(SlackSignature.SignatureHeader, out var sent) ? sent.Single() : "";

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(NoRetry(response));
        var logs = LogsAbout(channelId);
        var warning = Assert.Single(logs, r => r.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Unauthorized", warning.Message);
        Assert.Contains(reason, warning.Message);
        Assert.All(logs, r =>
        {
            Assert.DoesNotContain(secret, r.Message);
            Assert.DoesNotContain(eventId, r.Message);
            Assert.True(signature.Length == 0 || !r.Message.Contains(signature[3..], StringComparison.Ordinal));
        });
        Assert.Empty(fixture.Mentions.TakenFor(eventId));
    }

    private static HttpRequestMessage Altered(HttpRequestMessage request, string body)
    {
        var headers = request.Content!.Headers.ContentType;
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = headers;
        return request;
    }

    [Theory]
    [InlineData("\"bot_id\":\"B0OTHERBOT\",", "U0ALICE")]
    [InlineData("\"subtype\":\"bot_message\",", "U0ALICE")]
    [InlineData("", SlackRequests.BotUserId)]
    public async Task MentionsWrittenByABotAreIgnored(string extra, string user)
    {
        var (channelId, secret) = await NewChannelAsync();
        var eventId = SlackRequests.NewEventId();

        using var response = await SendAsync(
            channelId, SlackRequests.AppMention(eventId, user: user, extraEvent: extra), secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", Outcome(response));
        Assert.Null(await fixture.Client.GetGrain<IEventDedupGrain>(eventId).GetRecordAsync());
        Assert.Empty(fixture.Mentions.TakenFor(eventId));
    }

    [Theory]
    [InlineData("message")]
    [InlineData("reaction_added")]
    public async Task OtherEventTypesAreAcknowledgedAndIgnored(string type)
    {
        var (channelId, secret) = await NewChannelAsync();
        var eventId = SlackRequests.NewEventId();

        using var response = await SendAsync(channelId, SlackRequests.OtherEvent(eventId, type), secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", Outcome(response));
        Assert.Empty(fixture.Mentions.TakenFor(eventId));
    }

    [Fact]
    public async Task OtherPayloadTypesAreAcknowledgedAndIgnored()
    {
        var (channelId, secret) = await NewChannelAsync();

        using var response = await SendAsync(
            channelId,
            """
            {"token":"Zz0TestVerificationToken","team_id":"T0TEST","minute_rate_limited":1764579600,
             "api_app_id":"A0DAGEN","type":"app_rate_limited"}
            """,
            secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", Outcome(response));
    }

    [Theory]
    [InlineData("malformed JSON", HttpStatusCode.BadRequest)]
    [InlineData("JSON array", HttpStatusCode.BadRequest)]
    [InlineData("mention without user", HttpStatusCode.BadRequest)]
    [InlineData("plain text", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("form without ssl_check", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("too large", HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("unknown channel", HttpStatusCode.NotFound)]
    [InlineData("invalid channel id", HttpStatusCode.NotFound)]
    [InlineData("channel without bot settings", HttpStatusCode.NotFound)]
    public async Task BadInputGetsAClear4xxAndNoErrorLog(string kind, HttpStatusCode expected)
    {
        var (channelId, secret) = await NewChannelAsync();
        var eventId = SlackRequests.NewEventId();
        var now = fixture.Clock.GetUtcNow();
        var before = fixture.Logs.GetSnapshot().Count;
        using var request = kind switch
        {
            "malformed JSON" => SlackRequests.Signed(channelId, "{\"type\":\"event_callback\",", secret, now),
            "JSON array" => SlackRequests.Signed(channelId, "[1,2,3]", secret, now),
            "mention without user" => SlackRequests.Signed(
                channelId, SlackRequests.AppMention(eventId).Replace("\"user\":\"U0ALICE\",", ""), secret, now),
            "plain text" => SlackRequests.Signed(channelId, SlackRequests.AppMention(eventId), secret, now,
                contentType: "text/plain"),
            "form without ssl_check" => SlackRequests.Signed(channelId, "payload=%7B%7D", secret, now,
                contentType: "application/x-www-form-urlencoded"),
            "too large" => SlackRequests.Signed(
                channelId, SlackRequests.AppMention(eventId, text: new string('x', 1024 * 1024)), secret, now),
            "unknown channel" => SlackRequests.Signed(Keys.New("ch"), SlackRequests.AppMention(eventId), secret, now),
            "invalid channel id" => SlackRequests.Signed("ch%20bad!", SlackRequests.AppMention(eventId), secret, now),
            _ => SlackRequests.Signed(
                await NewWebhookOnlyChannelAsync(), SlackRequests.AppMention(eventId), secret, now),
        };

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.True(NoRetry(response));
        Assert.Contains("detail", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(fixture.Logs.GetSnapshot().Skip(before), r => r.Level >= LogLevel.Error);
        Assert.All(fixture.Logs.GetSnapshot().Skip(before), r => Assert.Null(r.Exception));
        Assert.Empty(fixture.Mentions.TakenFor(eventId));
    }

    [Fact]
    public async Task ARequestWithoutAV0SignatureIsRefusedBeforeAnyChannelIsLookedUp()
    {
        var unknown = Keys.New("ch");
        var body = SlackRequests.AppMention(SlackRequests.NewEventId());
        using var request = SlackRequests.Signed(
            unknown, body, "any0secret0at0all0000000000", fixture.Clock.GetUtcNow());
        request.Headers.Remove(SlackSignature.SignatureHeader);
        request.Headers.Add(SlackSignature.SignatureHeader, "x");

        using var response = await fixture.Http.SendAsync(request);

        // A 404 would mean the cluster was asked about the channel first.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var warning = Assert.Single(LogsAbout(unknown), r => r.Level >= LogLevel.Warning);
        Assert.Contains("not a v0 signature", warning.Message);
    }

    [Fact]
    public async Task SignedTextThatIsNotUtf8GetsA400AndNoErrorLog()
    {
        var (channelId, secret) = await NewChannelAsync();
        var body = Encoding.UTF8.GetBytes("""{"type":"url_verification","challenge":"??"}""");
        body[^4] = 0xFF;
        body[^3] = 0xFE;
        var before = fixture.Logs.GetSnapshot().Count;

        using var response = await fixture.Http.SendAsync(
            SlackRequests.Signed(channelId, body, secret, fixture.Clock.GetUtcNow()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(fixture.Logs.GetSnapshot().Skip(before), r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task AnEventTimeBeyondTheCalendarDoesNotStopTheMention()
    {
        var (channelId, secret) = await NewChannelAsync();
        var eventId = SlackRequests.NewEventId();
        var body = SlackRequests.AppMention(eventId)
            .Replace("\"event_time\":1764579600", "\"event_time\":1000000000000000000", StringComparison.Ordinal);

        using var response = await fixture.Http.SendAsync(
            SlackRequests.Signed(channelId, body, secret, fixture.Clock.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("handled", Outcome(response));
    }

    private async Task<string> NewWebhookOnlyChannelAsync()
    {
        var id = Keys.New("ch");
        await fixture.Client.GetGrain<INotificationChannelGrain>(id).SaveAsync(new ChannelSettings
        {
            Name = "Webhook only",
            WebhookUrl = "https://hooks.slack.com/services/T0TEST/B0TEST/webhookonly",
        });
        return id;
    }

    [Fact]
    public async Task ARotatedSigningSecretIsAcceptedAtOnceAndTheOldOneIsNot()
    {
        var (channelId, oldSecret) = await NewChannelAsync();
        using (var warm = await SendAsync(channelId, SlackRequests.UrlVerification("warm"), oldSecret))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var newSecret = Guid.NewGuid().ToString("N");
        await fixture.Client.GetGrain<INotificationChannelGrain>(channelId)
            .SaveAsync(new ChannelSettings { SigningSecret = newSecret });
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));

        using var withNew = await SendAsync(channelId, SlackRequests.UrlVerification("new"), newSecret);
        using var withOld = await SendAsync(channelId, SlackRequests.UrlVerification("old"), oldSecret);

        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
    }

    [Fact]
    public async Task AMentionIsAcknowledgedWellWithinThreeSeconds()
    {
        var (channelId, secret) = await NewChannelAsync();
        using (await SendAsync(channelId, SlackRequests.UrlVerification("warm"), secret))
        {
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await SendAsync(channelId, SlackRequests.AppMention(SlackRequests.NewEventId()), secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Took {clock.Elapsed}.");
    }

    [Fact]
    public async Task AClusterThatDoesNotAnswerGets503InTimeAndSlacksRetryIsHandledOnce()
    {
        var (channelId, secret) = await NewChannelAsync();
        using (await SendAsync(channelId, SlackRequests.UrlVerification("warm"), secret))
        {
        }

        var eventId = SlackRequests.NewEventId();
        var body = SlackRequests.AppMention(eventId);
        var stall = fixture.Stalls.Hold(eventId);
        var before = fixture.Logs.GetSnapshot().Count;

        var first = SendAsync(channelId, body, secret);
        await stall.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        fixture.Clock.Advance(TimeSpan.FromSeconds(2.1));
        using var timedOut = await first;
        stall.Release();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, timedOut.StatusCode);
        Assert.False(NoRetry(timedOut));
        Assert.Contains(fixture.Logs.GetSnapshot().Skip(before),
            r => r.Level == LogLevel.Warning && r.Message.Contains(eventId, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.GetSnapshot().Skip(before), r => r.Level >= LogLevel.Error);

        // The held claim went through once released, so Slack's retry finds it.
        var dedup = fixture.Client.GetGrain<IEventDedupGrain>(eventId);
        var record = await Eventually.Get(dedup.GetRecordAsync, r => r is not null, TimeSpan.FromSeconds(20));
        Assert.NotNull(record);
        using var retry = await SendAsync(channelId, body, secret, retryNum: 1);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("duplicate", Outcome(retry));
        Assert.Single(await fixture.Mentions.WaitForAsync(eventId));
    }

    [Fact]
    public async Task ASigningSecretLookupThatDoesNotAnswerGets503InTime()
    {
        var (channelId, secret) = await NewChannelAsync();
        var stall = fixture.Stalls.Hold(channelId);

        var pending = SendAsync(channelId, SlackRequests.UrlVerification("held"), secret);
        await stall.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        fixture.Clock.Advance(TimeSpan.FromSeconds(2.1));
        using var response = await pending;
        stall.Release();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(NoRetry(response));
    }
}
