using Dagen.Grains.Sessions;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Dagen.Grains.Tests.Sessions;

/// <summary>
/// The states go through the silo's grain storage serializer (the one ADO.NET storage on PostgreSQL uses)
/// and come back whole. Mentions are stored as the session grain stores them.
/// </summary>
[Collection(RunsSessionsCollection.Name)]
public sealed class StoredStateTests(RunsSessionsFixture fixture)
{
    private IGrainStorageSerializer Serializer =>
        fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();

    [Fact]
    public void ASessionWithHistoryAndWaitingMentionsSurvivesStorage()
    {
        var alice = Participant.New();
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var state = new SessionState
        {
            History = [new(ConversationRole.User, "q & <a>", at), new(ConversationRole.Assistant, "answer 👍", at)],
            Pending =
            [
                SessionState.Storable(alice.Mention("one")),
                SessionState.Storable(alice.Mention("two", threadTs: "1764579600.000001")),
            ],
            InProgress = SessionState.Storable(alice.Mention("current")),
            RecentEventIds = ["Ev1", "Ev2"],
            Generation = 3,
        };

        var back = Serializer.Deserialize<SessionState>(Serializer.Serialize(state));

        Assert.NotNull(back);
        Assert.Equal(state.History, back.History);
        Assert.Equal(state.Pending.Select(m => (m.EventId, m.Text, m.ThreadTs, m.Ts, m.EventTime)),
            back.Pending.Select(m => (m.EventId, m.Text, m.ThreadTs, m.Ts, m.EventTime)));
        Assert.Equal([Participant.BotUserId], back.Pending[0].BotUserIds);
        Assert.Equal(state.InProgress?.EventId, back.InProgress?.EventId);
        Assert.Equal(state.RecentEventIds, back.RecentEventIds);
        Assert.Equal(3, back.Generation);
    }

    [Fact]
    public void AWatchedRunSurvivesStorage()
    {
        var since = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var state = new WorkflowRunState
        {
            Watch = new RunWatch
            {
                RunId = "a3f2b1c9d8", WorkflowId = "wf-daily-sync", WorkflowName = "Daily Sync", ChannelId = "ch",
                TeamId = "T0TEST", SlackChannel = "C0TEST", ThreadTs = "1764579600.000100", UserId = "U0ALICE",
            },
            LastStatus = "running",
            Reported = true,
            WatchingSince = since,
            LastProblem = "Dagen answered 503",
            FailingSince = since.AddMinutes(1),
            FailuresInARow = 2,
            FollowUp = "✅ Workflow finished — success (42s)",
            ReportedAt = since.AddMinutes(2),
            FollowUpQueued = true,
        };

        var back = Serializer.Deserialize<WorkflowRunState>(Serializer.Serialize(state));

        Assert.NotNull(back);
        Assert.Equal(state.Watch, back.Watch);
        Assert.Equal((state.LastStatus, state.Reported, state.WatchingSince, state.LastProblem, state.FailingSince),
            (back.LastStatus, back.Reported, back.WatchingSince, back.LastProblem, back.FailingSince));
        Assert.Equal((state.FailuresInARow, state.FollowUp, state.ReportedAt, state.FollowUpQueued),
            (back.FailuresInARow, back.FollowUp, back.ReportedAt, back.FollowUpQueued));
    }
}
