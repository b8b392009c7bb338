using System.Net.Http.Json;
using Dagen.EndToEnd.Tests.Infrastructure;

namespace Dagen.EndToEnd.Tests.StandIns;

/// <summary><c>Dagen.StandIns say</c> speaks as a member from a shell and shows what the bot answers.</summary>
public sealed class SayCommandTests
{
    [Fact]
    public async Task SayPostsAsTheMemberSendsASignedMentionAndPrintsTheBotsAnswer()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-say"));

        var say = StandInsProgram.Start(null,
            "say", "--workspace", workspace.BaseUrl.ToString(), "--as", "bob", "--wait", "8", "@dagen", "help");
        var mention = Assert.Single(await gateway.WaitForAsync(1));
        var ts = mention.Json().GetProperty("event").GetProperty("ts").GetString()!;
        await AnswerAsBotAsync(workspace.ApiBaseUrl, ts, "Here is what I can do: `run`, `list`, `status`.");
        var outcome = await StandInsProgram.FinishAsync(say);

        Assert.Equal(0, outcome.ExitCode);
        SlackRequestCheck.AssertSignedBy(StandIn.SigningSecret, mention, DateTimeOffset.UtcNow);
        Assert.Equal("U0BOB", mention.Json().GetProperty("event").GetProperty("user").GetString());
        Assert.Contains("bob: <@U0DAGENBOT> help", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("gateway answered HTTP 200", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(":eyes: added by U0DAGENBOT", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("dagen: Here is what I can do", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayDirectSignsTheMentionItselfWithTheConfiguredSecret()
    {
        await using var gateway = await EventRecorder.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["LocalSlack__SigningSecret"] = "directTestSecret00000042",
        };

        var outcome = await StandInsProgram.RunAsync(environment,
            "say", "--direct", "--events-url", gateway.EventsUrl("ch-direct").ToString(), "--as", "carol",
            "@dagen status");

        Assert.Equal(0, outcome.ExitCode);
        var request = Assert.Single(gateway.Received);
        SlackRequestCheck.AssertSignedBy("directTestSecret00000042", request, DateTimeOffset.UtcNow);
        Assert.Equal("<@U0DAGENBOT> status", request.Json().GetProperty("event").GetProperty("text").GetString());
        Assert.Contains("gateway answered HTTP 200", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayRefusesAnAddressOffThisMachine()
    {
        var outcome = await StandInsProgram.RunAsync(null,
            "say", "--workspace", "http://workspace.example.org/", "@dagen help");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("not a loopback http URL", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayToAStoppedWorkspaceSaysHowToStartIt()
    {
        var workspace = await StandIn.SlackAsync();
        var address = workspace.BaseUrl.ToString();
        await workspace.DisposeAsync();

        var outcome = await StandInsProgram.RunAsync(null, "say", "--workspace", address, "@dagen help");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("scripts/run-local.sh", outcome.Output, StringComparison.Ordinal);
    }

    private static async Task AnswerAsBotAsync(Uri apiBaseUrl, string ts, string text)
    {
        using var bot = StandIn.Client(apiBaseUrl, StandIn.BotToken);
        using var reaction = await bot.PostAsync("reactions.add", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["channel"] = "C0LOCAL", ["timestamp"] = ts, ["name"] = "eyes" }));
        using var reply = await bot.PostAsJsonAsync(
            "chat.postMessage", new { channel = "C0LOCAL", thread_ts = ts, text });
        reaction.EnsureSuccessStatusCode();
        reply.EnsureSuccessStatusCode();
    }
}
