using System.Net.Http.Json;
using System.Text.Json;
using Dagen.EndToEnd.Tests.Infrastructure;
using Dagen.StandIns.Slack;

namespace Dagen.EndToEnd.Tests.Browser;

/// <summary>
/// The local workspace's page in headless Chromium: a person posts as a member through the box, the message
/// appears, the gateway (here a recorder) receives a correctly signed mention, and what the bot does shows
/// up live. A screenshot of each test's page is left in the test output's screenshots folder.
/// </summary>
public sealed class WorkspacePageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private HeadlessChromium Browser => fixture.Browser;

    [Fact]
    public async Task PostingThroughTheBoxShowsTheMessageAndSendsASignedMention()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-page"));
        await OpenAsync(workspace);

        await Browser.EvaluateAsync("document.getElementById('composer-user').value = 'U0BOB'");
        await Browser.TypeAsync("#composer-text", "@dagen help");
        await Browser.ClickAsync("#composer-send");

        await Browser.WaitForAsync(
            "[...document.querySelectorAll('.message[data-user=\"U0BOB\"] .message-text')]"
            + ".some(e => e.textContent === '@dagen help')", Patience, "Bob's message in the channel");
        var request = Assert.Single(await gateway.WaitForAsync(1));
        SlackRequestCheck.AssertSignedBy(StandIn.SigningSecret, request, DateTimeOffset.UtcNow);
        var mention = request.Json().GetProperty("event");
        Assert.Equal("app_mention", mention.GetProperty("type").GetString());
        Assert.Equal("U0BOB", mention.GetProperty("user").GetString());
        Assert.Equal("<@U0DAGENBOT> help", mention.GetProperty("text").GetString());
        await Browser.WaitForAsync(
            "document.querySelector('.message[data-user=\"U0BOB\"] .message-meta').textContent.includes('HTTP 200')",
            Patience, "the delivery to the gateway");
        Assert.Equal("", (await Browser.EvaluateAsync("document.getElementById('composer-text').value")).GetString());
        await SaveScreenshotAsync("posted");
    }

    [Fact]
    public async Task TheBotsReactionAndThreadReplyAppearWithoutReloading()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-live"));
        var ts = (await workspace.PostAsUserAsync("alice", "@dagen run daily-sync")).Message!.Ts;
        await OpenAsync(workspace);
        await Browser.EvaluateAsync("window.sameDocument = true");

        await ActAsBotAsync(
            workspace, ts, "Workflow \"Daily Sync\" triggered (run `a3f2b1c9`…). I'll update you when it completes.");

        var message = $".message[data-ts=\"{ts}\"]";
        await Browser.WaitForAsync(
            $"document.querySelector('{message} .reaction[data-name=\"eyes\"]')", Patience, "the :eyes: reaction");
        await Browser.WaitForAsync(
            $"document.querySelector('.thread[data-thread-of=\"{ts}\"] .message-text')"
            + ".textContent.includes('Daily Sync')",
            Patience, "the bot's reply in the thread");
        Assert.Equal(JsonValueKind.True, (await Browser.EvaluateAsync("window.sameDocument === true")).ValueKind);
        Assert.Equal("1", (await Browser.EvaluateAsync(
            $"document.querySelector('{message} .reaction .reaction-count').textContent")).GetString());
        await SaveScreenshotAsync("live");
    }

    [Fact]
    public async Task ReplyingInAThreadThroughThePageSendsTheThreadTs()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-reply"));
        var parent = (await workspace.PostAsUserAsync("alice", "@dagen Create an ingestion pipeline")).Message!.Ts;
        await OpenAsync(workspace);

        await Browser.ClickAsync($".reply-button[data-thread=\"{parent}\"]");
        await Browser.TypeAsync("#composer-text", "@dagen What was that pipeline ID again?");
        await Browser.ClickAsync("#composer-send");

        await Browser.WaitForAsync(
            $"document.querySelector('.thread[data-thread-of=\"{parent}\"] .message-text')", Patience, "the reply");
        var mention = (await gateway.WaitForAsync(2))[1].Json().GetProperty("event");
        Assert.Equal(parent, mention.GetProperty("thread_ts").GetString());
        Assert.Equal("U0ALICE", mention.GetProperty("user").GetString());
        Assert.Single(workspace.Snapshot().RepliesTo(parent));
    }

    private async Task OpenAsync(LocalSlackWorkspace workspace)
    {
        await Browser.OpenAsync(workspace.BaseUrl);
        await Browser.WaitForAsync("document.querySelectorAll('#composer-user option').length > 0", Patience,
            "the page to list the members");
        await Browser.WaitForAsync("document.getElementById('live').textContent === 'live'", Patience,
            "the live connection");
        Assert.Contains("development stand-in, not Slack",
            (await Browser.EvaluateAsync("document.getElementById('standin-banner').textContent")).GetString(),
            StringComparison.Ordinal);
    }

    private static async Task ActAsBotAsync(LocalSlackWorkspace workspace, string ts, string reply)
    {
        using var bot = StandIn.Client(workspace.ApiBaseUrl, StandIn.BotToken);
        using var reaction = await bot.PostAsync("reactions.add", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["channel"] = "C0LOCAL", ["timestamp"] = ts, ["name"] = "eyes" }));
        using var posted = await bot.PostAsJsonAsync(
            "chat.postMessage", new { channel = "C0LOCAL", thread_ts = ts, text = reply });
        Assert.True((await reaction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ok").GetBoolean());
        Assert.True((await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ok").GetBoolean());
    }

    private async Task SaveScreenshotAsync(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var file = Path.Combine(folder.FullName, $"workspace-{name}.png");
        await File.WriteAllBytesAsync(file, await Browser.ScreenshotAsync());
    }
}
