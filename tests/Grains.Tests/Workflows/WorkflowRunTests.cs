using Dagen.Grains.Dagen;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Runtime;

namespace Dagen.Grains.Tests.Workflows;

[Collection(RunsSessionsCollection.Name)]
public sealed class WorkflowRunTests(RunsSessionsFixture fixture)
{
    private static readonly TimeSpan Poll = RunsSessionsFixture.PollInterval;

    /// <summary>Sends <c>run daily-sync</c>; returns the run id Dagen gave once the confirmation is posted.</summary>
    private async Task<(string RunId, string Thread)> TriggerDailySyncAsync(Participant alice)
    {
        var mention = alice.Mention("run daily-sync");
        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 2);
        var runId = fixture.Dagen.Triggers.Single(t => t.Trigger.ThreadTs == mention.Ts).Outcome.RunId!;
        return (runId, mention.Ts);
    }

    private void Finish(string runId, string status, int seconds, string? error = null)
    {
        var started = fixture.Clock.GetUtcNow().AddSeconds(-seconds);
        fixture.Dagen.SetRun(new DagenRun
        {
            RunId = runId,
            WorkflowId = "wf-daily-sync",
            WorkflowName = "Daily Sync",
            Status = status,
            StartedAt = started,
            FinishedAt = started.AddSeconds(seconds),
            Error = error,
        });
    }

    private RunWatch WatchFor(Participant alice, string runId, string thread) => new()
    {
        RunId = runId,
        WorkflowId = "wf-daily-sync",
        WorkflowName = "Daily Sync",
        ChannelId = alice.ChannelId,
        TeamId = alice.TeamId,
        SlackChannel = alice.SlackChannel,
        ThreadTs = thread,
        UserId = alice.UserId,
    };

    [Fact]
    public async Task ARunTriggeredFromSlackIsFollowedUpOnceWithItsDuration()
    {
        var alice = Participant.New();

        var (runId, thread) = await TriggerDailySyncAsync(alice);
        Finish(runId, "success", 42);
        await fixture.AdvanceAsync(Poll);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, thread, 3);
        await fixture.AdvanceAsync(Poll * 4);

        Assert.Equal(
        [
            "Starting workflow daily-sync…",
            $"Workflow \"Daily Sync\" triggered (run {runId[..8]}…). I'll update you when it completes.",
            "✅ Workflow finished — success (42s)",
        ], fixture.Slack.PostsIn(alice.SlackChannel, thread));
        var trigger = fixture.Dagen.Triggers.Single(t => t.Trigger.ThreadTs == thread);
        Assert.Equal(("wf-daily-sync", alice.TeamId, alice.UserId, alice.SlackChannel),
            (trigger.WorkflowId, trigger.Trigger.TeamId, trigger.Trigger.UserId, trigger.Trigger.SlackChannel));
        var status = await fixture.Run(runId).GetAsync();
        Assert.True(status!.Reported);
        Assert.Equal("success", status.LastStatus);
        Assert.Equal(3, posts.Count);
    }

    [Fact]
    public async Task PollingFollowsTheSilosClock()
    {
        var alice = Participant.New();
        var (runId, _) = await TriggerDailySyncAsync(alice);

        await Task.Delay(300);
        var readsBefore = fixture.Dagen.ReadsOf(runId);
        await fixture.AdvanceAsync(Poll);
        await WaitForAsync(() => fixture.Dagen.ReadsOf(runId) > readsBefore, "a read after the clock moved");

        Assert.Equal(0, readsBefore);
    }

    [Fact]
    public async Task AFailedRunIsFollowedUpWithItsError()
    {
        var alice = Participant.New();
        var (runId, thread) = await TriggerDailySyncAsync(alice);

        Finish(runId, "failed", 18, "Connection timeout on BigQuery node");
        await fixture.AdvanceAsync(Poll);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, thread, 3);

        Assert.Equal("❌ Workflow finished — failed (18s)\nError: Connection timeout on BigQuery node", posts[2]);
    }

    [Fact]
    public async Task ACancelledRunIsFollowedUpAsCancelled()
    {
        var alice = Participant.New();
        var (runId, thread) = await TriggerDailySyncAsync(alice);

        Finish(runId, "cancelled", 7);
        await fixture.AdvanceAsync(Poll);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, thread, 3);

        Assert.Equal("🚫 Workflow finished — cancelled (7s)", posts[2]);
    }

    [Fact]
    public async Task DagenDownThenBackKeepsWatchingAndReportsOnce()
    {
        var alice = Participant.New();
        var (runId, thread) = await TriggerDailySyncAsync(alice);

        fixture.Dagen.SetUnreachable(runId, "Dagen is not reachable (connection refused).");
        await fixture.AdvanceAsync(TimeSpan.FromMinutes(2));
        var whileDown = await fixture.Run(runId).GetAsync();
        var readsWhileDown = fixture.Dagen.ReadsOf(runId);
        fixture.Dagen.SetUnreachable(runId, null);
        Finish(runId, "success", 95);
        await fixture.AdvanceAsync(RunsSessionsFixture.MaxPollInterval);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, thread, 3);
        await fixture.AdvanceAsync(RunsSessionsFixture.MaxPollInterval * 2);

        Assert.False(whileDown!.Reported);
        Assert.Equal("Dagen is not reachable (connection refused).", whileDown.LastProblem);
        Assert.InRange(readsWhileDown, 3, 10);
        Assert.Equal(
            "✅ Workflow finished — success (1m 35s)", fixture.Slack.PostsIn(alice.SlackChannel, thread)[2]);
        Assert.Equal(3, fixture.Slack.PostsIn(alice.SlackChannel, thread).Count);
    }

    [Fact]
    public async Task AfterTheDeadlineTheBotSaysItLostTrackAndStops()
    {
        var alice = Participant.New();
        var (runId, thread) = await TriggerDailySyncAsync(alice);

        fixture.Dagen.SetUnreachable(runId, "Dagen answered 503 three times.");
        await fixture.AdvanceAsync(RunsSessionsFixture.LostTrackAfter + RunsSessionsFixture.MaxPollInterval * 2);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, thread, 3);
        var readsAtTheEnd = fixture.Dagen.ReadsOf(runId);
        await fixture.AdvanceAsync(RunsSessionsFixture.MaxPollInterval * 3);

        Assert.StartsWith($"⚠️ I lost track of workflow \"Daily Sync\" (run {runId[..8]}…)", posts[2]);
        Assert.Contains("Dagen answered 503 three times.", posts[2]);
        Assert.Equal(3, fixture.Slack.PostsIn(alice.SlackChannel, thread).Count);
        Assert.Equal(readsAtTheEnd, fixture.Dagen.ReadsOf(runId));
        Assert.False(await HasReminderAsync(runId));
    }

    [Fact]
    public async Task ARunStillGoingAfterTheLongestWatchIsLeftAloneWithANote()
    {
        var alice = Participant.New();
        var (runId, thread) = await TriggerDailySyncAsync(alice);
        fixture.Dagen.SetRun(new DagenRun { RunId = runId, Status = "running" });

        await fixture.AdvanceAsync(RunsSessionsFixture.MaxWatchDuration + RunsSessionsFixture.MaxPollInterval,
            RunsSessionsFixture.MaxPollInterval / 2);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, thread, 3);
        var readsAtTheEnd = fixture.Dagen.ReadsOf(runId);
        await fixture.AdvanceAsync(RunsSessionsFixture.MaxPollInterval * 3);

        Assert.StartsWith($"⏳ Workflow \"Daily Sync\" (run {runId[..8]}…) is still running after 10m ", posts[2]);
        Assert.EndsWith("; I've stopped watching it. Check the run in Dagen.", posts[2]);
        Assert.Equal(readsAtTheEnd, fixture.Dagen.ReadsOf(runId));
        Assert.Equal("running", (await fixture.Run(runId).GetAsync())!.LastStatus);
        Assert.False(await HasReminderAsync(runId));
    }

    [Fact]
    public async Task DagensOwnReportStopsPollingAtOnce()
    {
        var alice = Participant.New();
        var runId = Guid.NewGuid().ToString("N");
        var thread = Participant.NextTs();
        fixture.Dagen.SetRun(new DagenRun { RunId = runId, Status = "running" });
        await fixture.Run(runId).WatchAsync(WatchFor(alice, runId, thread));

        var start = fixture.Clock.GetUtcNow();
        await fixture.Run(runId).ReportCompletionAsync(
            new RunCompletion { Status = "success", StartedAt = start, FinishedAt = start.AddSeconds(12) });
        await fixture.Run(runId).ReportCompletionAsync(
            new RunCompletion { Status = "success", StartedAt = start, FinishedAt = start.AddSeconds(12) });
        await fixture.AdvanceAsync(Poll * 6);

        Assert.Equal(["✅ Workflow finished — success (12s)"], fixture.Slack.PostsIn(alice.SlackChannel, thread));
        Assert.Equal(0, fixture.Dagen.ReadsOf(runId));
        Assert.False(await HasReminderAsync(runId));
    }

    [Fact]
    public async Task WatchingTheSameRunTwiceChangesNothing()
    {
        var alice = Participant.New();
        var runId = Guid.NewGuid().ToString("N");
        var thread = Participant.NextTs();
        fixture.Dagen.SetRun(new DagenRun { RunId = runId, Status = "running" });

        await fixture.Run(runId).WatchAsync(WatchFor(alice, runId, thread));
        var first = await fixture.Run(runId).GetAsync();
        await fixture.AdvanceAsync(Poll);
        await fixture.Run(runId).WatchAsync(WatchFor(alice, runId, Participant.NextTs()));
        var second = await fixture.Run(runId).GetAsync();

        Assert.Equal(first!.WatchingSince, second!.WatchingSince);
        Assert.Equal(thread, second.Watch.ThreadTs);
        Assert.True(await HasReminderAsync(runId, expected: true));
    }

    [Fact]
    public async Task AWatchForAnotherRunIsRefused()
    {
        var alice = Participant.New();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => fixture.Run(Guid.NewGuid().ToString("N"))
                .WatchAsync(WatchFor(alice, "other-run", Participant.NextTs())));

        Assert.Contains("other-run", error.Message);
    }

    [Fact]
    public async Task AfterItsActivationIsGoneTheReminderBringsTheWatchBackAndItReportsOnce()
    {
        var alice = Participant.New();
        var runId = Guid.NewGuid().ToString("N");
        var thread = Participant.NextTs();
        fixture.Dagen.SetRun(new DagenRun { RunId = runId, Status = "running" });
        await fixture.Run(runId).WatchAsync(WatchFor(alice, runId, thread));

        // As when its silo dies: the activation and its timer are gone, the state and the reminder remain.
        await fixture.Run(runId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Finish(runId, "success", 30);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, thread, 1);
        await Task.Delay(RunsSessionsFixture.ReminderPeriod * 2);
        await fixture.AdvanceAsync(Poll * 3);

        Assert.Equal("✅ Workflow finished — success (30s)", posts[0]);
        Assert.Single(fixture.Slack.PostsIn(alice.SlackChannel, thread));
        Assert.False(await HasReminderAsync(runId));
    }

    /// <summary>Whether the run's reminder is registered, once it settles (unregistering follows the post).</summary>
    private async Task<bool> HasReminderAsync(string runId, bool expected = false)
    {
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var grainId = fixture.Run(runId).GetGrainId();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var rows = await table.ReadRows(grainId);
            var has = rows.Reminders.Any(r => r.ReminderName == WorkflowRunGrain.ReminderName);
            if (has == expected || DateTime.UtcNow > deadline)
            {
                return has;
            }

            await Task.Delay(50);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
