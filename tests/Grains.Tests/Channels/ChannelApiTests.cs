using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Channels;

[Collection(GatewayCollection.Name)]
public sealed class ChannelApiTests(GatewayFixture fixture)
{
    private const string WebhookPath = "/services/T0TEST/B0TEST/Zq7Yx3Wv9Ut5";
    private const string WebhookUrl = "https://hooks.slack.com" + WebhookPath;
    private const string BotToken = "xoxb-test-3333-4444-secretpart";

    private static readonly string[] Secrets = [WebhookPath, "Zq7Yx3Wv9Ut5", BotToken, "secretpart"];

    private static string NewSigningSecret() => Guid.NewGuid().ToString("N");

    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>Asserts that no response text shows a secret, then reads it as JSON.</summary>
    private static async Task<JsonElement> MaskedJsonAsync(HttpResponseMessage response, string signingSecret)
    {
        var text = await response.Content.ReadAsStringAsync();
        foreach (var secret in Secrets.Append(signingSecret))
        {
            Assert.DoesNotContain(secret, text);
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(string Id, string SigningSecret)> CreateAsync(string name = "Data team")
    {
        var signingSecret = NewSigningSecret();
        using var response = await fixture.Admin.PostAsync("/api/channels", Json(new
        {
            name,
            webhookUrl = WebhookUrl,
            botToken = BotToken,
            signingSecret,
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await MaskedJsonAsync(response, signingSecret);
        return (body.GetProperty("id").GetString()!, signingSecret);
    }

    [Theory]
    [InlineData("GET", "/api/channels")]
    [InlineData("POST", "/api/channels")]
    [InlineData("GET", "/api/channels/ch-any")]
    [InlineData("PUT", "/api/channels/ch-any")]
    [InlineData("DELETE", "/api/channels/ch-any")]
    [InlineData("POST", "/api/channels/ch-any/notifications")]
    public async Task CallsWithoutTheAdminTokenGet401(string method, string path)
    {
        using var none = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(new { name = "x" }) };
        using var wrong = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(new { name = "x" }) };
        wrong.Headers.Authorization = new("Bearer", GatewayFixture.AdminToken + "x");
        using var basic = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(new { name = "x" }) };
        basic.Headers.Authorization = new("Basic", GatewayFixture.AdminToken);

        foreach (var request in new[] { none, wrong, basic })
        {
            using var response = await fixture.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task ACreatedChannelIsShownMaskedWithItsEventSubscriptionUrl()
    {
        var signingSecret = NewSigningSecret();

        using var response = await fixture.Admin.PostAsync("/api/channels", Json(new
        {
            name = "Data team",
            webhookUrl = WebhookUrl,
            botToken = BotToken,
            signingSecret,
        }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await MaskedJsonAsync(response, signingSecret);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/channels/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("https://hooks.slack.com/***", body.GetProperty("webhookUrl").GetString());
        Assert.Equal("***", body.GetProperty("botToken").GetString());
        Assert.Equal("***", body.GetProperty("signingSecret").GetString());
        Assert.True(body.GetProperty("botEnabled").GetBoolean());
        Assert.Equal($"{GatewayFixture.PublicBaseUrl}/api/slack/events/{id}",
            body.GetProperty("eventSubscriptionUrl").GetString());
    }

    [Fact]
    public async Task ReadingListingChangingAndDeletingNeverShowASecret()
    {
        var (id, signingSecret) = await CreateAsync("Masked everywhere");

        using var one = await fixture.Admin.GetAsync($"/api/channels/{id}");
        using var list = await fixture.Admin.GetAsync("/api/channels");
        using var put = await fixture.Admin.PutAsync($"/api/channels/{id}", Json(new
        {
            name = "Renamed",
            webhookUrl = "https://hooks.slack.com/***",
            botToken = "***",
            signingSecret = "***",
        }));

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("Masked everywhere", (await MaskedJsonAsync(one, signingSecret)).GetProperty("name").GetString());
        var listed = (await MaskedJsonAsync(list, signingSecret)).GetProperty("channels").EnumerateArray()
            .Single(c => c.GetProperty("id").GetString() == id);
        Assert.Equal("***", listed.GetProperty("botToken").GetString());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var changed = await MaskedJsonAsync(put, signingSecret);
        Assert.Equal("Renamed", changed.GetProperty("name").GetString());
        Assert.Equal("***", changed.GetProperty("signingSecret").GetString());
        var stored = fixture.Client.GetGrain<Grains.Channels.INotificationChannelGrain>(id);
        Assert.Equal(signingSecret, await stored.GetSigningSecretAsync());
        Assert.Equal(WebhookUrl, await stored.GetWebhookUrlAsync());

        using var deleted = await fixture.Admin.DeleteAsync($"/api/channels/{id}");
        using var gone = await fixture.Admin.GetAsync($"/api/channels/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AChangeThatLeavesSecretsOutKeepsThem()
    {
        var (id, signingSecret) = await CreateAsync();

        using var put = await fixture.Admin.PutAsync($"/api/channels/{id}", Json(new { name = "Only the name" }));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var channel = fixture.Client.GetGrain<Grains.Channels.INotificationChannelGrain>(id);
        Assert.Equal(signingSecret, await channel.GetSigningSecretAsync());
        Assert.Equal(BotToken, await channel.GetBotTokenAsync());
        Assert.Equal(WebhookUrl, await channel.GetWebhookUrlAsync());
    }

    [Fact]
    public async Task EachBadFieldIsNamedInA400()
    {
        using var response = await fixture.Admin.PostAsync("/api/channels", Json(new
        {
            name = "",
            webhookUrl = "http://hooks.slack.com/services/T0TEST/B0TEST/plainhttp",
            botToken = "xoxp-not-a-bot-token",
            signingSecret = "tiny",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await MaskedJsonAsync(response, "tiny-never-shown")).GetProperty("errors");
        Assert.Equal(["botToken", "name", "signingSecret", "webhookUrl"],
            errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.DoesNotContain("plainhttp", errors.ToString());
    }

    [Theory]
    [InlineData("{\"name\":", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\":42}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("null", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("name=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task ABodyThatIsNotAChannelGetsAClear4xx(string body, string contentType, HttpStatusCode expected)
    {
        using var response = await fixture.Admin.PostAsync(
            "/api/channels", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("detail", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChangingOrDeletingAnUnknownChannelIs404()
    {
        using var put = await fixture.Admin.PutAsync("/api/channels/ch-nothere", Json(new { name = "x" }));
        using var delete = await fixture.Admin.DeleteAsync("/api/channels/ch-nothere");
        using var invalid = await fixture.Admin.GetAsync("/api/channels/not%20valid");

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, invalid.StatusCode);
    }

    [Fact]
    public async Task ANotificationIsAcceptedWithItsIdAndQueuedWithItsBlocks()
    {
        var (id, _) = await CreateAsync();

        using var response = await fixture.Admin.PostAsync($"/api/channels/{id}/notifications", new StringContent(
            """
            {"text":"Workflow *Daily Sync* finished",
             "blocks":[{"type":"section","text":{"type":"mrkdwn","text":"done"}}]}
            """,
            Encoding.UTF8,
            "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (queuedId, notification) = Assert.Single(fixture.Notifier.QueuedFor(id));
        Assert.Equal(queuedId, body.GetProperty("notificationId").GetString());
        Assert.Equal("Workflow *Daily Sync* finished", notification.Text);
        Assert.Equal("done", JsonDocument.Parse(notification.BlocksJson!).RootElement[0]
            .GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task ABurstOfNotificationsIsQueuedInOrder()
    {
        var (id, _) = await CreateAsync();

        for (var i = 0; i < 20; i++)
        {
            using var response = await fixture.Admin.PostAsync(
                $"/api/channels/{id}/notifications", Json(new { text = $"step {i}" }));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"step {i}"),
            fixture.Notifier.QueuedFor(id).Select(q => q.Notification.Text));
    }

    [Theory]
    [InlineData("{\"blocks\":[]}", HttpStatusCode.BadRequest, "text")]
    [InlineData("{\"text\":\"hi\",\"blocks\":{\"type\":\"section\"}}", HttpStatusCode.BadRequest, "blocks")]
    [InlineData("{\"text\":", HttpStatusCode.BadRequest, "not valid JSON")]
    public async Task ANotificationWithoutTextOrWithBadBlocksIsRefused(
        string body, HttpStatusCode expected, string named)
    {
        var (id, _) = await CreateAsync();

        using var response = await fixture.Admin.PostAsync(
            $"/api/channels/{id}/notifications", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
        Assert.Empty(fixture.Notifier.QueuedFor(id));
    }

    [Fact]
    public async Task ANotificationToAnUnknownChannelIs404AndToOneWithoutWebhookIs409()
    {
        using var created = await fixture.Admin.PostAsync("/api/channels", Json(new
        {
            name = "Bot only",
            botToken = BotToken,
            signingSecret = NewSigningSecret(),
        }));
        var botOnly = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var unknown = await fixture.Admin.PostAsync(
            "/api/channels/ch-nothere/notifications", Json(new { text = "hi" }));
        using var noWebhook = await fixture.Admin.PostAsync(
            $"/api/channels/{botOnly}/notifications", Json(new { text = "hi" }));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, noWebhook.StatusCode);
        Assert.Contains("Incoming Webhook URL", await noWebhook.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AChannelCreatedThroughTheApiReceivesSlackEventsAtItsSubscriptionUrl()
    {
        var (id, signingSecret) = await CreateAsync();
        using var one = await fixture.Admin.GetAsync($"/api/channels/{id}");
        var url = new Uri((await one.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("eventSubscriptionUrl").GetString()!);

        using var request = SlackRequests.Signed(
            id, SlackRequests.UrlVerification("from-the-api"), signingSecret, fixture.Clock.GetUtcNow());
        request.RequestUri = new Uri(url.PathAndQuery, UriKind.Relative);
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("from-the-api", await response.Content.ReadAsStringAsync());
    }
}
