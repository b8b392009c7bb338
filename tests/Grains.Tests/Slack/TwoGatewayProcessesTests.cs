using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dagen.Gateway.Slack;
using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Slack;

/// <summary>
/// A silo on the embedded default and two gateways, each a real process built from src/, on ports the OS picked.
/// </summary>
public sealed class ProcessClusterFixture : IAsyncLifetime
{
    public LocalStandIn StandIn { get; private set; } = null!;

    public ChildProcess Silo { get; private set; } = null!;

    public (ChildProcess Process, HttpClient Http) GatewayA { get; private set; }

    public (ChildProcess Process, HttpClient Http) GatewayB { get; private set; }

    public async Task InitializeAsync()
    {
        StandIn = await LocalStandIn.StartAsync();
        var gatewayPort = FreePorts.Next();
        Silo = await ProcessCluster.StartSiloAsync(FreePorts.Next(), gatewayPort, StandIn);
        var starting = new[]
        {
            ProcessCluster.StartGatewayAsync("gateway-a", gatewayPort),
            ProcessCluster.StartGatewayAsync("gateway-b", gatewayPort),
        };
        GatewayA = await starting[0];
        GatewayB = await starting[1];
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in new[] { GatewayA, GatewayB }.Where(g => g.Process is not null))
        {
            gateway.Http.Dispose();
            await gateway.Process.TerminateAsync(TimeSpan.FromSeconds(15));
            await gateway.Process.DisposeAsync();
        }

        if (Silo is not null)
        {
            await Silo.TerminateAsync(TimeSpan.FromSeconds(15));
            await Silo.DisposeAsync();
        }

        if (StandIn is not null)
        {
            await StandIn.DisposeAsync();
        }
    }
}

[Collection(ProcessCollection.Name)]
public sealed class TwoGatewayProcessesTests(ProcessClusterFixture cluster) : IClassFixture<ProcessClusterFixture>
{
    private async Task<(string Id, string Secret)> CreateChannelAsync()
    {
        var secret = Guid.NewGuid().ToString("N");
        using var response = await cluster.GatewayA.Http.PostAsJsonAsync("/api/channels", new
        {
            name = "Two gateways",
            webhookUrl = "http://127.0.0.1:9/services/T0TEST/B0TEST/twogateways",
            botToken = "xoxb-test-5555-twogateways",
            signingSecret = secret,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, secret);
    }

    private static async Task<(HttpStatusCode Status, string? Outcome)> DeliverAsync(
        HttpClient gateway, string channelId, string body, string secret, int? retryNum)
    {
        using var request = SlackRequests.Signed(channelId, body, secret, DateTimeOffset.UtcNow, retryNum);
        using var response = await gateway.SendAsync(request);
        var outcome = response.Headers.TryGetValues(SlackEventEndpoints.OutcomeHeader, out var v) ? v.Single() : null;
        return (response.StatusCode, outcome);
    }

    [Fact]
    public async Task OneEventSentThroughTwoGatewaysAndRetriedThreeTimesIsHandledOnce()
    {
        var (channelId, secret) = await CreateChannelAsync();
        var body = SlackRequests.AppMention(SlackRequests.NewEventId());

        var answers = new[]
        {
            await DeliverAsync(cluster.GatewayA.Http, channelId, body, secret, null),
            await DeliverAsync(cluster.GatewayB.Http, channelId, body, secret, 1),
            await DeliverAsync(cluster.GatewayA.Http, channelId, body, secret, 2),
            await DeliverAsync(cluster.GatewayB.Http, channelId, body, secret, 3),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(["handled", "duplicate", "duplicate", "duplicate"], answers.Select(a => a.Outcome));
    }

    [Fact]
    public async Task CopiesArrivingAtBothGatewaysAtOnceAreHandledOnce()
    {
        var (channelId, secret) = await CreateChannelAsync();
        var body = SlackRequests.AppMention(SlackRequests.NewEventId());

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => DeliverAsync(
            i % 2 == 0 ? cluster.GatewayA.Http : cluster.GatewayB.Http, channelId, body, secret, i == 0 ? null : i)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers, a => a.Outcome == "handled");
        Assert.Equal(7, answers.Count(a => a.Outcome == "duplicate"));
    }

    [Fact]
    public async Task AChannelSavedThroughOneGatewayVerifiesEventsAtTheOther()
    {
        var (channelId, secret) = await CreateChannelAsync();

        using var listed = await cluster.GatewayB.Http.GetAsync("/api/channels");
        var answer = await DeliverAsync(
            cluster.GatewayB.Http, channelId, SlackRequests.UrlVerification("across"), secret, null);

        Assert.Contains(channelId, await listed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }
}
