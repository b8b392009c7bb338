using Dagen.Grains.Dagen;
using Orleans.Core.Internal;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;

namespace Dagen.Grains.Tests.Sessions;

[Collection(RunsSessionsCollection.Name)]
public sealed class CommandTests(RunsSessionsFixture fixture)
{
    /// <summary>Sends one mention; returns the posts in its thread once <paramref name="posts"/> are there.</summary>
    private async Task<IReadOnlyList<string>> AskAsync(Participant who, string text, int posts = 1)
    {
        var mention = who.Mention(text);
        await fixture.Session(who).ReceiveMentionAsync(mention);
        return await fixture.Slack.WaitForPostsAsync(who.SlackChannel, mention.ReplyThreadTs, posts);
    }

    [Fact]
    public async Task HelpListsEveryCommandWithAnExample()
    {
        var posts = await AskAsync(Participant.New(), "HELP");

        var help = Assert.Single(posts);
        foreach (var example in new[]
        {
            "`@dagen What's the row count for orders?`", "`@dagen run daily-sync`", "`@dagen list workflows`",
            "`@dagen status`", "`@dagen agent dbt compile my_model`", "`@dagen reset`", "`@dagen help`",
        })
        {
            Assert.Contains(example, help);
        }
    }

    [Fact]
    public async Task AMentionIsAcknowledgedWithEyesBeforeTheAnswer()
    {
        var alice = Participant.New();
        var mention = alice.Mention("help");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 1);

        var actions = fixture.Slack.In(alice.SlackChannel);
        Assert.Equal(new SlackAction(SlackActionKind.Reaction, alice.SlackChannel, mention.Ts, "eyes"), actions[0]);
        Assert.Equal(SlackActionKind.Post, actions[1].Kind);
        Assert.Equal(2, actions.Count);
    }

    [Fact]
    public async Task AMentionInsideAThreadIsAnsweredInThatThread()
    {
        var alice = Participant.New();
        var parent = Participant.NextTs();
        var mention = alice.Mention("list", threadTs: parent);

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, parent, 1);

        var actions = fixture.Slack.In(alice.SlackChannel);
        Assert.Equal((SlackActionKind.Reaction, mention.Ts), (actions[0].Kind, actions[0].Ts));
        Assert.Equal((SlackActionKind.Post, parent), (actions[1].Kind, actions[1].Ts));
    }

    [Fact]
    public async Task TheSameEventTwiceIsAnsweredOnce()
    {
        var alice = Participant.New();
        var mention = alice.Mention("status");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 1);
        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await Task.Delay(200);

        Assert.Equal(2, fixture.Slack.In(alice.SlackChannel).Count);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("List Workflows")]
    public async Task ListShowsTheActiveWorkflowsOnly(string command)
    {
        var post = Assert.Single(await AskAsync(Participant.New(), command));

        Assert.StartsWith("*Active workflows* (5)", post);
        Assert.Contains("• Daily Sync — `daily-sync`", post);
        Assert.Contains("• Orders Backfill — `orders-backfill`", post);
        Assert.DoesNotContain("Monthly Close", post);
        Assert.DoesNotContain("Draft Idea", post);
    }

    [Fact]
    public async Task StatusShowsRecentRunsWithWorkflowStatusStartAndDuration()
    {
        var start = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        fixture.Dagen.RecentRuns =
        [
            new DagenRun { RunId = "r1", WorkflowName = "Daily Sync", Status = "success", StartedAt = start,
                FinishedAt = start.AddSeconds(42) },
            new DagenRun { RunId = "r2", WorkflowName = "Orders <EU>", Status = "failed", StartedAt = start,
                FinishedAt = start.AddMinutes(3).AddSeconds(5) },
            new DagenRun { RunId = "r3", WorkflowName = "Weekly Load", Status = "queued" },
        ];

        var post = Assert.Single(await AskAsync(Participant.New(), "status"));

        Assert.Equal(
            "*Recent runs*\n"
            + "• Daily Sync — success — started 2026-12-01 08:30 UTC — 42s\n"
            + "• Orders &lt;EU&gt; — failed — started 2026-12-01 08:30 UTC — 3m 5s\n"
            + "• Weekly Load — queued — not started yet — no duration",
            post);
        Assert.Contains(10, fixture.Dagen.RunListLimits);
    }

    [Fact]
    public async Task AReadOnlyAnswerCutShortByDeactivationIsGivenAgainAfterwardsNotOwnedUpTo()
    {
        var alice = Participant.New();
        var mention = alice.Mention("status");
        fixture.Dagen.RecentRuns = [new DagenRun { RunId = "r9", WorkflowName = "Daily Sync", Status = "queued" }];
        var listed = fixture.Dagen.RunListLimits.Count;
        fixture.Dagen.RunListGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await fixture.Session(alice).ReceiveMentionAsync(mention);
            Assert.True(await StandInServer.WaitUntilAsync(() => fixture.Dagen.RunListLimits.Count > listed));
            await fixture.Session(alice).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        }
        finally
        {
            fixture.Dagen.RunListGate = null;
        }

        // Nobody calls the session again: its resume reminder brings it back, and the answer is given.
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 1);
        await Task.Delay(RunsSessionsFixture.ReminderPeriod * 2);

        Assert.Equal(
            "*Recent runs*\n• Daily Sync — queued — not started yet — no duration",
            Assert.Single(fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts)));
        Assert.Equal(posts[0], fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts)[0]);
    }

    [Fact]
    public async Task RunWithSeveralPartialMatchesAsksWhichOneAndTriggersNothing()
    {
        var alice = Participant.New();
        var mention = alice.Mention("run daily");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        var post = Assert.Single(await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 1));

        Assert.Equal(
            "Several active workflows match 'daily':\n"
            + "• Daily Report — `daily-report`\n• Daily Sync — `daily-sync`\n"
            + "Which one do you mean? Say `@dagen run &lt;name&gt;` with its full name or slug.",
            post);
        Assert.DoesNotContain(fixture.Dagen.Triggers, t => t.Trigger.ThreadTs == mention.Ts);
    }

    [Theory]
    [InlineData("run nightly", "nightly")]
    [InlineData("run Monthly Close", "Monthly Close")]
    public async Task RunWithoutAnActiveMatchSaysSo(string command, string query)
    {
        var post = Assert.Single(await AskAsync(Participant.New(), command));

        Assert.Equal($"No active workflow matching '{query}' found", post);
    }

    [Fact]
    public async Task RunPrefersTheExactNameOverPartialMatches()
    {
        var alice = Participant.New();
        var mention = alice.Mention("run ORDERS");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 2);

        Assert.Equal("Starting workflow orders…", posts[0]);
        Assert.StartsWith("Workflow \"Orders\" triggered (run ", posts[1]);
        Assert.Equal("wf-orders", fixture.Dagen.Triggers.Single(t => t.Trigger.ThreadTs == mention.Ts).WorkflowId);
    }

    [Fact]
    public async Task ATriggerDagenRefusesIsAnsweredWithTheReason()
    {
        var alice = Participant.New();
        var mention = alice.Mention("run weekly-load");
        fixture.Dagen.ScriptTrigger(mention.Ts, new TriggerOutcome { RefusedBecause = "Workflow is not active" });

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 2);
        await Task.Delay(200);

        Assert.Equal(
            ["Starting workflow weekly-load…", "Workflow \"Weekly Load\" was not started: Workflow is not active"],
            fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts));
        Assert.Equal(2, posts.Count);
    }

    [Fact]
    public async Task DagenDownIsAnsweredClearly()
    {
        fixture.Dagen.ListingFailsWith = "Dagen is not reachable at the moment";
        try
        {
            var post = Assert.Single(await AskAsync(Participant.New(), "run daily-sync"));

            Assert.Equal("I couldn't look up the workflows: Dagen is not reachable at the moment. "
                + "Please try again in a moment.", post);
        }
        finally
        {
            fixture.Dagen.ListingFailsWith = null;
        }
    }

    [Fact]
    public async Task DagenDownWhenTriggeringIsAnsweredClearlyAndNothingIsWatched()
    {
        var alice = Participant.New();
        var mention = alice.Mention("run weekly-load");
        fixture.Dagen.FailTrigger(mention.Ts, "Dagen answered 503 (Service Unavailable) three times.");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 2);
        await Task.Delay(200);

        Assert.Equal(
        [
            "Starting workflow weekly-load…",
            "I couldn't start workflow \"Weekly Load\": Dagen answered 503 (Service Unavailable) three times. "
            + "Please try again in a moment.",
        ], fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts));
        Assert.Equal(2, posts.Count);
    }

    [Fact]
    public async Task RunAloneExplainsHowToUseIt()
    {
        var post = Assert.Single(await AskAsync(Participant.New(), "run"));

        Assert.Contains("`@dagen run daily-sync`", post);
    }
}
