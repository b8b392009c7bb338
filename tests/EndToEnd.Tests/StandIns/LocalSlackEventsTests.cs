using System.Text.RegularExpressions;
using Dagen.EndToEnd.Tests.Infrastructure;
using Dagen.StandIns.Slack;
using Microsoft.Extensions.Time.Testing;

namespace Dagen.EndToEnd.Tests.StandIns;

/// <summary>
/// Posting as a member sends the gateway what Slack would: signed Events API requests, retried like Slack.
/// </summary>
public sealed partial class LocalSlackEventsTests
{
    [Fact]
    public async Task AMentionReachesTheRequestUrlSignedAndInSlacksFormat()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-format"));

        var posted = await workspace.PostAsUserAsync("bob", "@dagen what's 1 < 2 & 3 > 0?");

        var request = Assert.Single(await gateway.WaitForAsync(1));
        Assert.Equal("/api/slack/events/ch-format", request.Path);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        SlackRequestCheck.AssertSignedBy(StandIn.SigningSecret, request, DateTimeOffset.UtcNow);
        var body = request.Json();
        Assert.Equal("event_callback", body.GetProperty("type").GetString());
        Assert.Equal("T0LOCAL", body.GetProperty("team_id").GetString());
        Assert.Matches(EventIdPattern(), body.GetProperty("event_id").GetString());
        Assert.Equal("U0DAGENBOT", body.GetProperty("authorizations")[0].GetProperty("user_id").GetString());
        var mention = body.GetProperty("event");
        Assert.Equal("app_mention", mention.GetProperty("type").GetString());
        Assert.Equal("U0BOB", mention.GetProperty("user").GetString());
        Assert.Equal("C0LOCAL", mention.GetProperty("channel").GetString());
        Assert.Equal(posted.Message!.Ts, mention.GetProperty("ts").GetString());
        Assert.Equal("<@U0DAGENBOT> what's 1 &lt; 2 &amp; 3 &gt; 0?", mention.GetProperty("text").GetString());
        Assert.False(mention.TryGetProperty("thread_ts", out _));
        Assert.False(mention.TryGetProperty("bot_id", out _));
        Assert.Equal(200, posted.Delivery!.StatusCode);
        Assert.Equal(body.GetProperty("event_id").GetString(), workspace.Snapshot().Find(posted.Message.Ts)!.EventId);
    }

    [Fact]
    public async Task EveryMessageGetsAFreshEventId()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-fresh"));

        await workspace.PostAsUserAsync("alice", "@dagen help");
        await workspace.PostAsUserAsync("alice", "@dagen help");

        var ids = (await gateway.WaitForAsync(2)).Select(r => r.Json().GetProperty("event_id").GetString()).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task AMentionInAThreadCarriesTheParentsThreadTs()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-thread"));
        var parent = (await workspace.PostAsUserAsync("alice", "@dagen What tables are in analytics?")).Message!;

        var reply = await workspace.PostAsUserAsync("carol", "@dagen and the row count for orders?", parent.Ts);

        var mention = (await gateway.WaitForAsync(2))[1].Json().GetProperty("event");
        Assert.Equal(parent.Ts, mention.GetProperty("thread_ts").GetString());
        Assert.Equal("U0ALICE", mention.GetProperty("parent_user_id").GetString());
        Assert.Equal(reply.Message!.Ts, mention.GetProperty("ts").GetString());
        Assert.True(reply.Message.IsReply);
    }

    [Fact]
    public async Task AMentionByAnotherAppsBotCarriesItsBotId()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-bot"));

        await workspace.PostAsUserAsync("ci-bot", "@dagen status");

        var mention = Assert.Single(await gateway.WaitForAsync(1)).Json().GetProperty("event");
        Assert.Equal("B0CIBOT", mention.GetProperty("bot_id").GetString());
    }

    [Fact]
    public async Task AMessageWithoutTheBotsMentionSendsNoEvent()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-quiet"));

        var posted = await workspace.PostAsUserAsync("alice", "lunch? @bob");

        Assert.Null(posted.Delivery);
        Assert.Equal("lunch? <@U0BOB>", posted.Message!.Text);
        Assert.Empty(workspace.Snapshot().Deliveries);
    }

    [Fact]
    public async Task AMentionWhileTheBotIsOutOfTheChannelSendsNothingAndSaysWhy()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-outside"));
        workspace.SetBotInChannel(false);

        var posted = await workspace.PostAsUserAsync("alice", "@dagen help");

        Assert.Null(posted.Delivery);
        Assert.Contains("/invite @Dagen", posted.Note, StringComparison.Ordinal);
        Assert.Equal(posted.Note, workspace.Snapshot().Find(posted.Message!.Ts)!.EventNote);
        Assert.Empty(gateway.Received);
    }

    [Fact]
    public async Task SavingTheRequestUrlSendsASignedChallengeAndRecordsTheVerification()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync();

        var app = await workspace.SetEventsUrlAsync(gateway.EventsUrl("ch-verify"));

        Assert.True(app.EventsUrlVerified);
        var challenge = Assert.Single(gateway.Received);
        SlackRequestCheck.AssertSignedBy(StandIn.SigningSecret, challenge, DateTimeOffset.UtcNow);
        Assert.Equal("url_verification", challenge.Json().GetProperty("type").GetString());
    }

    [Fact]
    public async Task ARequestUrlThatIsNotLoopbackIsRefused()
    {
        await using var workspace = await StandIn.SlackAsync();

        var refused = await Assert.ThrowsAsync<WorkspaceInputException>(
            () => workspace.SetEventsUrlAsync(new Uri("https://gateway.example.org/api/slack/events/x")));

        Assert.Contains("loopback", refused.Message, StringComparison.Ordinal);
        Assert.Null(workspace.Snapshot().App.EventsUrl);
    }

    [Fact]
    public async Task ARefusedEventIsRetriedWithSlacksHeadersOnTheClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(
            gateway.EventsUrl("ch-retry"), clock, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        gateway.NextStatuses.Enqueue((500, false));
        gateway.NextStatuses.Enqueue((503, false));

        var posted = await workspace.PostAsUserAsync("alice", "@dagen run daily-sync");
        var beforeTheClockMoves = workspace.Snapshot().Deliveries.Count;
        var afterOne = await AdvanceUntilAsync(clock, workspace, s => s.Deliveries.Count >= 2);
        var afterTwo = await AdvanceUntilAsync(clock, workspace, s => s.Deliveries.Count >= 3);

        Assert.Equal("http_error", posted.Delivery!.Failure);
        var firstWait = afterOne.Deliveries[1].At - afterOne.Deliveries[0].At;
        var secondWait = afterTwo.Deliveries[2].At - afterTwo.Deliveries[1].At;
        Assert.Equal(1, beforeTheClockMoves);
        Assert.InRange(firstWait, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
        Assert.InRange(secondWait, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30));
        var requests = gateway.Received;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        for (var i = 0; i < 3; i++)
        {
            SlackRequestCheck.AssertSignedBy(StandIn.SigningSecret, requests[i], afterTwo.Deliveries[i].At);
        }

        Assert.Equal([null, "1", "2"], requests.Select(r => r.Header("X-Slack-Retry-Num")));
        Assert.Equal([null, "http_error", "http_error"], requests.Select(r => r.Header("X-Slack-Retry-Reason")));
        Assert.True(afterTwo.Deliveries[^1].Succeeded);
    }

    /// <summary>
    /// Moves the fake clock a minute at a time until the workspace reaches the state: a retry's timer is set
    /// only after the previous attempt is recorded, so one big jump could come too early. Bounded: 25 minutes of
    /// fake time, about 25 seconds of real time on a busy machine.
    /// </summary>
    private static async Task<WorkspaceSnapshot> AdvanceUntilAsync(
        FakeTimeProvider clock, LocalSlackWorkspace workspace, Func<WorkspaceSnapshot, bool> condition)
    {
        for (var minutes = 0; minutes < 24; minutes++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            try
            {
                return await workspace.WaitForAsync(condition, TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                // Not yet: the next minute.
            }
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        return await workspace.WaitForAsync(condition, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AnAnswerWithNoRetryStopsSlacksRetries()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(
            gateway.EventsUrl("ch-noretry"), clock, TimeSpan.FromMinutes(1));
        gateway.NextStatuses.Enqueue((401, true));

        var refused = await workspace.PostAsUserAsync("alice", "@dagen help");
        clock.Advance(TimeSpan.FromMinutes(10));
        await workspace.PostAsUserAsync("alice", "@dagen list");
        await gateway.WaitForAsync(2);

        Assert.True(refused.Delivery!.NoRetry);
        Assert.Equal(401, refused.Delivery.StatusCode);
        Assert.Single(workspace.Snapshot().DeliveriesOf(refused.Delivery.EventId));
    }

    [Fact]
    public async Task AGatewayThatAnswersTooLateIsRecordedAsATimeout()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAnsweringWithinAsync(
            TimeSpan.FromMilliseconds(500), gateway.EventsUrl("ch-slow"));
        gateway.AnswerDelay = TimeSpan.FromSeconds(3);

        var posted = await workspace.PostAsUserAsync("alice", "@dagen status");

        Assert.Equal("http_timeout", posted.Delivery!.Failure);
        Assert.Null(posted.Delivery.StatusCode);
    }

    [Fact]
    public async Task ARedeliveryRepeatsTheEventWithTheNextRetryNumber()
    {
        await using var gateway = await EventRecorder.StartAsync();
        await using var workspace = await StandIn.SlackAsync(gateway.EventsUrl("ch-again"));
        var posted = await workspace.PostAsUserAsync("alice", "@dagen run daily-sync");

        var again = await workspace.RedeliverAsync(posted.Delivery!.EventId);

        var requests = await gateway.WaitForAsync(2);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal("1", requests[1].Header("X-Slack-Retry-Num"));
        Assert.Equal("http_timeout", requests[1].Header("X-Slack-Retry-Reason"));
        SlackRequestCheck.AssertSignedBy(StandIn.SigningSecret, requests[1], DateTimeOffset.UtcNow);
        Assert.Equal(1, again.RetryNum);
    }

    [GeneratedRegex("^Ev[0-9A-Z]{9}$")]
    private static partial Regex EventIdPattern();
}
