using Dagen.Grains.Channels;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;
using Dagen.Grains.Workflows;
using Orleans.Runtime;

namespace Dagen.Grains.Tests.Postgres;

/// <summary>
/// A watched run outlives the silo that watched it: its state and its reminder are in PostgreSQL, so another
/// silo, or the same one started again, picks the watch up and posts the follow-up once.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RunWatchAcrossSilosTests
{
    private const string SlackChannel = "C0RUNS";
    private const string ThreadTs = "1700000000.000100";
    private static readonly TimeSpan FollowUpPatience = TimeSpan.FromSeconds(120);

    private static readonly Dictionary<string, string> FastWatch = new()
    {
        ["WorkflowRuns__PollInterval"] = "00:00:01",
        ["WorkflowRuns__ReminderPeriod"] = "00:00:03",
    };

    [PostgresFact]
    public async Task KillingTheSiloThatWatchesARunStillGivesOneFollowUpWhenTheRunEnds()
    {
        await using var cluster = new PostgresCluster(FastWatch);
        var silos = new Dictionary<int, ChildProcess>();
        foreach (var name in new[] { "silo-a", "silo-b" })
        {
            var port = FreePorts.Next();
            silos[port] = await cluster.StartSiloAsync(name, port, FreePorts.Next());
        }

        var client = await cluster.ConnectClientAsync();
        var backends = await cluster.BackendsAsync();
        var watch = await StartWatchingAsync(client, backends.Dagen);

        var statistics = await client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var holder = statistics.Single(s => s.GrainId.Key.ToString() == watch.RunId).SiloAddress;
        await silos[holder.Endpoint.Port].KillAsync();
        FinishRun(backends.Dagen, watch);

        var followUps = await WaitForFollowUpsAsync(backends.Slack);

        Assert.Equal("✅ Workflow finished — success (42s)", Assert.Single(followUps).Text);
        Assert.Equal(ThreadTs, followUps[0].ThreadTs);
    }

    [PostgresFact]
    public async Task AReminderRegisteredBeforeEverySiloRestartedFiresAfterIt()
    {
        await using var cluster = new PostgresCluster(FastWatch);
        var (siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next());
        var silo = await cluster.StartSiloAsync("silo", siloPort, gatewayPort);
        var client = await cluster.ConnectClientAsync();
        var backends = await cluster.BackendsAsync();
        var watch = await StartWatchingAsync(client, backends.Dagen);

        await PostgresCluster.StopGracefullyAsync(silo);
        FinishRun(backends.Dagen, watch);
        await cluster.StartSiloAsync("silo-again", siloPort, gatewayPort);

        // Nothing calls the run's grain after the restart: only its reminder can wake it.
        var followUps = await WaitForFollowUpsAsync(backends.Slack);

        Assert.Equal("✅ Workflow finished — success (42s)", Assert.Single(followUps).Text);
    }

    private static async Task<RunWatch> StartWatchingAsync(IClusterClient client, DagenStandIn dagen)
    {
        var channelId = Keys.New("runs");
        var saved = await client.GetGrain<INotificationChannelGrain>(channelId).SaveAsync(new ChannelSettings
        {
            Name = "Runs",
            BotToken = "xoxb-test-runs-0001",
            SigningSecret = "test0signing0secret0runs01",
        });
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Select(e => $"{e.Key}: {e.Value}")));

        var runId = $"run-{Guid.NewGuid():N}";
        dagen.AddWorkflow(new StandInWorkflow("wf-daily", "Daily Sync", "daily-sync", "active"));
        dagen.SetRun(new StandInRun(runId, "wf-daily", "Daily Sync", "running", DateTimeOffset.UtcNow));
        var watch = new RunWatch
        {
            RunId = runId,
            WorkflowId = "wf-daily",
            WorkflowName = "Daily Sync",
            ChannelId = channelId,
            TeamId = "T0TEST",
            SlackChannel = SlackChannel,
            ThreadTs = ThreadTs,
            UserId = "U0ALICE",
        };
        await client.GetGrain<IWorkflowRunGrain>(runId).WatchAsync(watch);
        return watch;
    }

    private static void FinishRun(DagenStandIn dagen, RunWatch watch)
    {
        var started = dagen.Run(watch.RunId)!.StartedAt!.Value;
        dagen.SetRun(new StandInRun(
            watch.RunId, watch.WorkflowId, watch.WorkflowName, "success", started, started.AddSeconds(42)));
    }

    /// <summary>
    /// Waits for the follow-up, then a while longer, so that a second copy would have time to arrive.
    /// </summary>
    private static async Task<IReadOnlyList<SlackApiCall>> WaitForFollowUpsAsync(SlackStandIn slack)
    {
        IReadOnlyList<SlackApiCall> FollowUps() =>
            [.. slack.CallsTo(SlackChannel, "chat.postMessage")
                .Where(call => call.Text?.Contains("Workflow finished", StringComparison.Ordinal) == true)];

        var deadline = DateTime.UtcNow + FollowUpPatience;
        while (FollowUps().Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        await Task.Delay(TimeSpan.FromSeconds(8));
        return FollowUps();
    }
}
