using Dagen.Grains.Sessions;
using Orleans.Core.Internal;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;

namespace Dagen.Grains.Tests.Sessions;

[Collection(RunsSessionsCollection.Name)]
public sealed class SuperAgentTests(RunsSessionsFixture fixture)
{
    private async Task<IReadOnlyList<string>> AskAsync(Participant who, string text, int posts = 2)
    {
        var mention = who.Mention(text);
        await fixture.Session(who).ReceiveMentionAsync(mention);
        return await fixture.Slack.WaitForPostsAsync(who.SlackChannel, mention.ReplyThreadTs, posts);
    }

    [Fact]
    public async Task AQuestionIsAnsweredAfterOnItConvertedToMrkdwn()
    {
        var alice = Participant.New();
        fixture.Agents.Script(
            alice.AgentUser, StandInReply.Answer("I found **23 tables** in `a<b`: see below & more."));

        var posts = await AskAsync(alice, "What tables are in the analytics dataset?");

        Assert.Equal(["On it…", "I found *23 tables* in `a&lt;b`: see below &amp; more."], posts);
        var request = Assert.Single(fixture.Agents.RequestsOf(alice.AgentUser));
        Assert.Equal("super-agent", request.Model);
        Assert.Equal("Bearer test-agent-key", request.Authorization);
        Assert.Equal([new RecordedMessage("user", "What tables are in the analytics dataset?")], request.Messages);
    }

    [Fact]
    public async Task AFollowUpQuestionCarriesTheFirstExchange()
    {
        var alice = Participant.New();
        fixture.Agents.Script(alice.AgentUser,
            StandInReply.Answer("I've created pipeline pg_users_bq_1708432."),
            StandInReply.Answer("The pipeline I just created was pg_users_bq_1708432."));

        await AskAsync(alice, "Create an ingestion pipeline for the users table");
        var posts = await AskAsync(alice, "What was that pipeline ID again?");

        Assert.Equal("The pipeline I just created was pg_users_bq_1708432.", posts[1]);
        var followUp = fixture.Agents.RequestsOf(alice.AgentUser)[1];
        Assert.Equal(
        [
            new RecordedMessage("user", "Create an ingestion pipeline for the users table"),
            new RecordedMessage("assistant", "I've created pipeline pg_users_bq_1708432."),
            new RecordedMessage("user", "What was that pipeline ID again?"),
        ], followUp.Messages);
        Assert.Equal(4, (await fixture.Session(alice).GetHistoryAsync()).Count);
    }

    [Fact]
    public async Task ResetStartsAFreshConversation()
    {
        var alice = Participant.New();

        await AskAsync(alice, "first question");
        var reset = await AskAsync(alice, "reset", posts: 1);
        var historyAfterReset = await fixture.Session(alice).GetHistoryAsync();
        await AskAsync(alice, "second question");

        Assert.Equal(BotMessages.ResetDone, reset[0]);
        Assert.Empty(historyAfterReset);
        Assert.Equal([new RecordedMessage("user", "second question")],
            fixture.Agents.RequestsOf(alice.AgentUser)[1].Messages);
    }

    [Fact]
    public async Task TheConversationIsBoundedOldestFirst()
    {
        var alice = Participant.New();

        for (var i = 1; i <= 4; i++)
        {
            await AskAsync(alice, $"question {i}");
        }

        var history = await fixture.Session(alice).GetHistoryAsync();
        Assert.Equal(6, history.Count);
        Assert.Equal("question 2", history[0].Text);
        Assert.Equal(7, fixture.Agents.RequestsOf(alice.AgentUser)[3].Messages.Count);
    }

    [Fact]
    public async Task EyesComeAtOnceWhileAnEarlierQuestionIsBeingAnsweredAndAnswersKeepTheirOrder()
    {
        var alice = Participant.New();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Agents.Script(alice.AgentUser,
            StandInReply.Held(gate, "answer one"), StandInReply.Answer("answer two"),
            StandInReply.Answer("answer three"));
        var first = alice.Mention("question one");
        var second = alice.Mention("question two");
        var third = alice.Mention("question three");

        await fixture.Session(alice).ReceiveMentionAsync(first);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, first.Ts, 1);
        await fixture.Agents.WaitForRequestsAsync(alice.AgentUser, 1);
        // The third is delivered before the second (another gateway, a retry): it still waits its turn.
        await fixture.Session(alice).ReceiveMentionAsync(third);
        await fixture.Session(alice).ReceiveMentionAsync(second);
        var whileBusy = fixture.Slack.In(alice.SlackChannel);
        gate.SetResult();
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, third.Ts, 2);

        Assert.Equal(
            [(SlackActionKind.Reaction, first.Ts), (SlackActionKind.Post, first.Ts),
                (SlackActionKind.Reaction, third.Ts), (SlackActionKind.Reaction, second.Ts)],
            whileBusy.Select(a => (a.Kind, a.Ts)));
        var answers = fixture.Slack.In(alice.SlackChannel)
            .Where(a => a.Kind == SlackActionKind.Post && a.Text != BotMessages.OnIt)
            .Select(a => (a.Ts, a.Text));
        Assert.Equal([(first.Ts, "answer one"), (second.Ts, "answer two"), (third.Ts, "answer three")], answers);
    }

    [Fact]
    public async Task AnAgentErrorGivesAShortReplyWithTheReasonOnce()
    {
        var alice = Participant.New();
        fixture.Agents.Script(alice.AgentUser, StandInReply.Fail(500), StandInReply.Fail(500));
        var mention = alice.Mention("Compile and run the monthly_revenue dbt model");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 2);
        await Task.Delay(200);

        Assert.Equal(
            ["On it…", "Sorry, I couldn't get an answer from the Super Agent: it answered with an error (HTTP 500)."],
            fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts));
        Assert.Equal(2, fixture.Agents.RequestsOf(alice.AgentUser).Count);
        Assert.Empty(await fixture.Session(alice).GetHistoryAsync());
    }

    [Fact]
    public async Task AnAgentThatTakesTooLongGivesAShortReplyOnce()
    {
        var alice = Participant.New();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Agents.Script(alice.AgentUser, StandInReply.Held(gate, "too late"));
        var mention = alice.Mention("a slow question");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Agents.WaitForRequestsAsync(alice.AgentUser, 1);
        fixture.Clock.Advance(RunsSessionsFixture.AgentTimeout);
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 2);
        gate.SetResult();
        await Task.Delay(300);

        Assert.Equal(["On it…", "Sorry, I couldn't get an answer from the Super Agent: no answer within 30s."],
            fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts));
        Assert.Equal(2, posts.Count);
    }

    [Fact]
    public async Task ASubAgentIsAskedByNameWithoutHistory()
    {
        var alice = Participant.New();
        await AskAsync(alice, "something earlier");
        fixture.Agents.Script(alice.AgentUser, StandInReply.Answer("Compiled my_model."));

        var posts = await AskAsync(alice, "agent DBT compile my_model");

        Assert.Equal(["On it…", "Compiled my_model."], posts);
        var request = fixture.Agents.RequestsOf(alice.AgentUser)[1];
        Assert.Equal("dbt", request.Model);
        Assert.Equal([new RecordedMessage("user", "compile my_model")], request.Messages);
        Assert.Equal(alice.AgentUser, request.User);
    }

    [Fact]
    public async Task AnUnknownAgentIsAnsweredWithTheAgentsThatExist()
    {
        var alice = Participant.New();
        var mention = alice.Mention("agent airflow list dags");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 1);
        await Task.Delay(200);

        Assert.Equal(["I don't know an agent called `airflow`. The agents are: `dbt`, `ingestion`, `super-agent`."],
            fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts));
        Assert.Empty(fixture.Agents.RequestsOf(alice.AgentUser));
    }

    [Fact]
    public async Task AnAnswerCutShortByDeactivationIsOwnedUpToAfterwardsAndNotPostedLater()
    {
        var alice = Participant.New();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Agents.Script(alice.AgentUser, StandInReply.Held(gate, "too late"));
        var mention = alice.Mention("a question this activation will not finish");

        await fixture.Session(alice).ReceiveMentionAsync(mention);
        await fixture.Agents.WaitForRequestsAsync(alice.AgentUser, 1);
        await fixture.Session(alice).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        // Nobody calls the session again: its resume reminder brings it back.
        var posts = await fixture.Slack.WaitForPostsAsync(alice.SlackChannel, mention.Ts, 2);
        gate.SetResult();
        await Task.Delay(300);

        Assert.Equal("On it…", posts[0]);
        Assert.StartsWith(
            "Sorry, I was restarted while working on your message “a question this activation will not finish”.",
            posts[1]);
        Assert.Equal(2, fixture.Slack.PostsIn(alice.SlackChannel, mention.Ts).Count);
        Assert.Empty(await fixture.Session(alice).GetHistoryAsync());
    }

    [Fact]
    public async Task NeitherTheAgentKeyNorTheQuestionIsLogged()
    {
        var alice = Participant.New();
        fixture.Agents.Script(alice.AgentUser, StandInReply.Fail(503), StandInReply.Answer("fine"));

        await AskAsync(alice, "a question about secret-project-zebra");

        var records = fixture.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Message.Contains(alice.AgentUser.Split(':')[0], StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Message.Contains("test-agent-key", StringComparison.Ordinal)
            || (r.Exception?.ToString().Contains("test-agent-key", StringComparison.Ordinal) ?? false));
        Assert.DoesNotContain(records, r => r.Message.Contains("secret-project-zebra", StringComparison.Ordinal));
    }
}
