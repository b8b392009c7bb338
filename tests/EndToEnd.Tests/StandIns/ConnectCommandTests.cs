using Dagen.EndToEnd.Tests.Infrastructure;

namespace Dagen.EndToEnd.Tests.StandIns;

/// <summary>
/// <c>Dagen.StandIns connect</c>, which scripts/run-local.sh runs: it creates the channel through the gateway's
/// settings API and makes the local workspace send mentions to the channel's Event Subscription URL.
/// </summary>
public sealed class ConnectCommandTests
{
    [Fact]
    public async Task ConnectCreatesTheChannelAndTheWorkspaceVerifiesItsRequestUrl()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync();

        var outcome = await StandInsProgram.RunAsync(Environment(gateway.AdminToken),
            "connect", "--gateway", gateway.BaseUrl.ToString(), "--workspace", workspace.BaseUrl.ToString());

        Assert.Equal(0, outcome.ExitCode);
        var channel = Assert.Single(gateway.Channels);
        Assert.Equal("local-dev", channel.GetProperty("name").GetString());
        Assert.Equal(workspace.WebhookUrl.ToString(), channel.GetProperty("webhookUrl").GetString());
        Assert.Equal(StandIn.BotToken, channel.GetProperty("botToken").GetString());
        Assert.Equal(StandIn.SigningSecret, channel.GetProperty("signingSecret").GetString());
        var app = workspace.Snapshot().App;
        Assert.Equal(gateway.EventsUrl("ch-1"), app.EventsUrl);
        Assert.True(app.EventsUrlVerified);
        Assert.Contains("Channel ch-1 created", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(StandIn.SigningSecret, outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongAdminTokenIsReportedWithTheSettingToFix()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync();

        var outcome = await StandInsProgram.RunAsync(Environment("not-the-admin-token"),
            "connect", "--gateway", gateway.BaseUrl.ToString(), "--workspace", workspace.BaseUrl.ToString());

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Gateway__AdminToken", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(gateway.Channels);
        Assert.Null(workspace.Snapshot().App.EventsUrl);
    }

    private static Dictionary<string, string> Environment(string adminToken) => new()
    {
        ["Gateway__AdminToken"] = adminToken,
        ["LocalSlack__BotToken"] = StandIn.BotToken,
        ["LocalSlack__SigningSecret"] = StandIn.SigningSecret,
    };
}
