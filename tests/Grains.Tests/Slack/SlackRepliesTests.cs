using Dagen.Grains.Channels;
using Dagen.Grains.Delivery;
using Dagen.Grains.Hosting;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Core.Internal;
using Orleans.Runtime;
using Orleans.Storage;

namespace Dagen.Grains.Tests.Slack;

[Collection(ClusterCollection.Name)]
public sealed class SlackRepliesTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private ISlackReplies Replies => fixture.Cluster.GetSiloServiceProvider().GetRequiredService<ISlackReplies>();

    [Fact]
    public async Task AReplyGoesIntoTheThreadWithTheChannelsBotToken()
    {
        var bot = await NewBotAsync();

        await Replies.PostAsync(bot.Thread, "Workflow \"Daily Sync\" triggered (run a3f2b1c9…).");
        await DrainAsync(bot);

        var call = Assert.Single(fixture.Slack.CallsTo(bot.SlackChannel));
        Assert.Equal("chat.postMessage", call.Method);
        Assert.Equal("Workflow \"Daily Sync\" triggered (run a3f2b1c9…).", call.Text);
        Assert.Equal(bot.Thread.ThreadTs, call.ThreadTs);
        Assert.Equal($"Bearer {bot.Token}", call.Authorization);
        Assert.DoesNotContain(fixture.Logs.Mentioning(bot.Key), line => line.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task AQueueWithWorkLeftKeepsAWakeUpReminderUntilItIsEmpty()
    {
        var bot = await NewBotAsync();
        var reminders = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var grainId = Queue(bot).GetGrainId();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: 20));

        await Replies.PostAsync(bot.Thread, "held back");
        Assert.True(await StandInServer.WaitUntilAsync(() => fixture.Slack.CallsTo(bot.SlackChannel).Count == 1));
        await QueueDriver.SettledAsync(() => Queue(bot).GetStatusAsync());
        var whileWaiting = (await reminders.ReadRows(grainId)).Reminders.Select(r => r.ReminderName).ToList();
        await DrainAsync(bot);

        // The reminder goes at the end of the turn that emptied the queue: allow that turn to finish.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await reminders.ReadRows(grainId)).Reminders.Count > 0 && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        Assert.Equal(["wake-up"], whileWaiting);
        Assert.Empty((await reminders.ReadRows(grainId)).Reminders);
    }

    [Fact]
    public async Task FiveRepliesInOneSecondArriveInOrderAboutASecondApart()
    {
        var bot = await NewBotAsync();
        var texts = Enumerable.Range(1, 5).Select(i => $"Reply {i} of 5").ToList();

        foreach (var text in texts)
        {
            await Replies.PostAsync(bot.Thread, text);
        }

        await DrainAsync(bot);

        var calls = fixture.Slack.CallsTo(bot.SlackChannel, "chat.postMessage");
        Assert.Equal(texts, calls.Select(call => call.Text));
        Assert.All(Gaps(calls), gap => Assert.True(gap >= Interval, $"Two calls only {gap} apart."));
    }

    [Fact]
    public async Task PacingFollowsTheSilosClockNotRealTime()
    {
        var bot = await NewBotAsync();

        await Replies.PostAsync(bot.Thread, "now");
        await Replies.PostAsync(bot.Thread, "a second later");
        Assert.True(await StandInServer.WaitUntilAsync(() => fixture.Slack.CallsTo(bot.SlackChannel).Count == 1));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Single(fixture.Slack.CallsTo(bot.SlackChannel));
        fixture.Clock.Advance(Interval);
        Assert.True(await StandInServer.WaitUntilAsync(() => fixture.Slack.CallsTo(bot.SlackChannel).Count == 2));
    }

    [Fact]
    public async Task AReactionGoesAheadOfRepliesStillWaiting()
    {
        var bot = await NewBotAsync();
        var mention = new SlackMessageRef(bot.ChannelId, "T0TEST", bot.SlackChannel, "1700000100.000200");

        for (var i = 1; i <= 4; i++)
        {
            await Replies.PostAsync(bot.Thread, $"Part {i} of an earlier answer");
        }

        await Replies.ReactAsync(mention, ":eyes:");
        await DrainAsync(bot);

        var calls = fixture.Slack.CallsTo(bot.SlackChannel);
        var reaction = Assert.Single(calls, call => call.Method == "reactions.add");
        Assert.InRange(calls.ToList().IndexOf(reaction), 0, 1);
        Assert.Equal("eyes", reaction.Name);
        Assert.Equal(mention.Ts, reaction.Ts);
        Assert.Equal(
            Enumerable.Range(1, 4).Select(i => $"Part {i} of an earlier answer"),
            calls.Where(call => call.Method == "chat.postMessage").Select(call => call.Text));
    }

    [Fact]
    public async Task AnAlreadyPresentReactionCountsAsDone()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("reactions.add", bot.SlackChannel, StandInAnswer.SlackError("already_reacted"));

        await Replies.ReactAsync(new SlackMessageRef(bot.ChannelId, "T0TEST", bot.SlackChannel, "1.2"), "eyes");
        await DrainAsync(bot);

        var status = await Queue(bot).GetStatusAsync();
        Assert.Equal(1, status.Sent);
        Assert.Equal(0, status.GivenUp);
        Assert.Single(fixture.Slack.CallsTo(bot.SlackChannel));
    }

    [Fact]
    public async Task ARateLimitIsWaitedOutForAsLongAsSlackAsks()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: 7));

        await Replies.PostAsync(bot.Thread, "first");
        await Replies.PostAsync(bot.Thread, "second");
        await DrainAsync(bot);

        var calls = fixture.Slack.CallsTo(bot.SlackChannel);
        Assert.Equal(["first", "first", "second"], calls.Select(call => call.Text));
        Assert.Equal(TimeSpan.FromSeconds(7), calls[1].ReceivedAt - calls[0].ReceivedAt);
        Assert.Single(fixture.Logs.Mentioning(bot.Key), line => line.Message.Contains("rate-limited"));
    }

    [Fact]
    public async Task ARateLimitWithoutRetryAfterWaitsTheDefault()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: null));

        await Replies.PostAsync(bot.Thread, "only");
        await DrainAsync(bot);

        var calls = fixture.Slack.CallsTo(bot.SlackChannel);
        Assert.Equal(["only", "only"], calls.Select(call => call.Text));
        Assert.Equal(new SlackOptions().DefaultRetryAfter, calls[1].ReceivedAt - calls[0].ReceivedAt);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithGrowingWaitsThenDelivered()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script(
            "chat.postMessage", bot.SlackChannel, StandInAnswer.Failure(503), StandInAnswer.Failure(500));

        await Replies.PostAsync(bot.Thread, "eventually");
        await DrainAsync(bot);

        var calls = fixture.Slack.CallsTo(bot.SlackChannel);
        Assert.Equal(["eventually", "eventually", "eventually"], calls.Select(call => call.Text));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], Gaps(calls));
        Assert.Equal(1, (await Queue(bot).GetStatusAsync()).Sent);
    }

    [Fact]
    public async Task AReplyThatKeepsFailingIsGivenUpAndTheNextStillGoesOut()
    {
        var bot = await NewBotAsync();
        var attempts = new SlackOptions().MaxAttempts;
        fixture.Slack.Script(
            "chat.postMessage",
            bot.SlackChannel,
            Enumerable.Repeat(StandInAnswer.Failure(502), attempts).ToArray());

        await Replies.PostAsync(bot.Thread, "doomed");
        await Replies.PostAsync(bot.Thread, "fine");
        await DrainAsync(bot);

        var texts = fixture.Slack.CallsTo(bot.SlackChannel).Select(call => call.Text).ToList();
        Assert.Equal([.. Enumerable.Repeat("doomed", attempts), "fine"], texts);
        var status = await Queue(bot).GetStatusAsync();
        Assert.Equal((1, 1), (status.Sent, status.GivenUp));
        Assert.Single(fixture.Logs.Mentioning(bot.Key), line => line.Level == LogLevel.Error);
    }

    [Fact]
    public async Task ATimedOutCallIsTriedAgain()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.Slow(TimeSpan.FromSeconds(10)));

        await Replies.PostAsync(bot.Thread, "patience");
        await DrainAsync(bot);

        Assert.Equal(["patience", "patience"], fixture.Slack.CallsTo(bot.SlackChannel).Select(call => call.Text));
        Assert.Contains(fixture.Logs.Mentioning(bot.Key), line => line.Message.Contains("timeout"));
    }

    [Theory]
    [InlineData("missing_scope", "chat:write:bot", "chat:write:bot", "reinstall")]
    [InlineData("not_in_channel", null, "/invite @Dagen", "/invite")]
    [InlineData("channel_not_found", null, "/invite @Dagen", "still exists")]
    [InlineData("invalid_auth", null, "re-copy", "Bot User OAuth Token")]
    [InlineData("token_revoked", null, "reinstall", "new Bot User OAuth Token")]
    public async Task EachSlackRefusalGivesOneLogLineThatNamesTheFix(
        string error, string? needed, string fix, string moreFix)
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.SlackError(error, needed));

        await Replies.PostAsync(bot.Thread, "refused");
        await Replies.PostAsync(bot.Thread, "after");
        await DrainAsync(bot);

        Assert.Equal(["refused", "after"], fixture.Slack.CallsTo(bot.SlackChannel).Select(call => call.Text));
        var line = Assert.Single(fixture.Logs.Mentioning(bot.Key), line => line.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains(error, line.Message);
        Assert.Contains(fix, line.Message);
        Assert.Contains(moreFix, line.Message);
        Assert.False(fixture.Logs.AnyContains(bot.Token));
    }

    [Fact]
    public async Task AChannelWithoutABotTokenDropsWhatWasQueuedAndLogsTheFix()
    {
        var bot = await NewBotAsync(withToken: false);

        await Replies.PostAsync(bot.Thread, "nobody will read this");
        await Replies.ReactAsync(new SlackMessageRef(bot.ChannelId, "T0TEST", bot.SlackChannel, "1.3"), "eyes");
        await DrainAsync(bot);

        Assert.Empty(fixture.Slack.CallsTo(bot.SlackChannel));
        Assert.Equal(2, (await Queue(bot).GetStatusAsync()).GivenUp);
        var errors = fixture.Logs.Mentioning(bot.Key).Where(line => line.Level == LogLevel.Error).ToList();
        Assert.InRange(errors.Count, 1, 2);
        Assert.All(errors, line => Assert.Contains("has no bot token", line.Message));
        Assert.All(errors, line => Assert.Contains("Add the Bot User OAuth Token", line.Message));
    }

    [Fact]
    public async Task ALongAnswerWithCodeBlocksAndEmojiArrivesWhole()
    {
        var bot = await NewBotAsync();
        var answer = SlackTextSplitterTests.RandomAnswer(new Random(30_000), 30_000);
        Assert.InRange(answer.Length, 30_000, 32_000);

        await Replies.PostAsync(bot.Thread, answer);
        await DrainAsync(bot);

        var parts = SlackTextSplitter.SplitParts(answer);
        var received = fixture.Slack.CallsTo(bot.SlackChannel, "chat.postMessage").Select(call => call.Text).ToList();
        Assert.True(received.Count >= 8, $"Only {received.Count} messages.");
        Assert.Equal(parts.Select(part => part.Text), received);
        Assert.Equal(answer, string.Concat(parts.Select(part => part.Body)));
        Assert.All(received, text => Assert.InRange(text!.Length, 1, SlackTextSplitter.DefaultMaxLength));
    }

    [Fact]
    public async Task AQueueLeftByADeactivationGoesOnWhenTheGrainComesBack()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: 30));
        await Replies.PostAsync(bot.Thread, "one");
        await Replies.PostAsync(bot.Thread, "two");
        Assert.True(await StandInServer.WaitUntilAsync(() => fixture.Slack.CallsTo(bot.SlackChannel).Count == 1));
        await QueueDriver.SettledAsync(() => Queue(bot).GetStatusAsync());

        await Queue(bot).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await DrainAsync(bot);

        Assert.Equal(["one", "one", "two"], fixture.Slack.CallsTo(bot.SlackChannel).Select(call => call.Text));
    }

    [Fact]
    public async Task MoreCallsThanOneReservedBlockComeBackWholeAndInOrderAfterADeactivation()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: 30));
        var texts = Enumerable.Range(1, QueueRecords<SlackCall>.BlockSize + 4).Select(i => $"answer {i}").ToList();
        foreach (var text in texts)
        {
            await Replies.PostAsync(bot.Thread, text);
        }

        await QueueDriver.SettledAsync(() => Queue(bot).GetStatusAsync());
        await Queue(bot).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await DrainAsync(bot);

        Assert.Equal(["answer 1", .. texts], fixture.Slack.CallsTo(bot.SlackChannel).Select(call => call.Text));
    }

    [Fact]
    public async Task QueuedCallsAreStoredApartFromTheQueueAndLeaveNoRecordOnceSent()
    {
        var bot = await NewBotAsync();
        fixture.Slack.Script("chat.postMessage", bot.SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: 30));
        await Replies.ReactAsync(new SlackMessageRef(bot.ChannelId, "T0TEST", bot.SlackChannel, "1700000000.000200"),
            "eyes");
        await Replies.PostAsync(bot.Thread, "first");
        await Replies.PostAsync(bot.Thread, "second");
        await QueueDriver.SettledAsync(() => Queue(bot).GetStatusAsync());

        var queued = await ReadQueueAsync(bot);
        Assert.Null(queued.Reactions);
        Assert.Null(queued.Messages);
        Assert.Equal(["first", "second"], await ReadCallsAsync(bot, 1, queued.Position.ReservedThrough));

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await DrainAsync(bot);

        var drained = await ReadQueueAsync(bot);
        Assert.Empty(await ReadCallsAsync(bot, 1, drained.Position.ReservedThrough));
        Assert.Equal(drained.Position.ReservedThrough + 1, drained.Position.LowestLive);
    }

    [Fact]
    public async Task CallsAnEarlierVersionKeptInTheQueuesOwnRecordAreSentAndMovedToRecordsOfTheirOwn()
    {
        var bot = await NewBotAsync();
        var earlier = new SlackChannelQueueState
        {
            Reactions = [new SlackCall { Kind = SlackCallKind.Reaction, Ts = "1700000000.000200", Content = "eyes" }],
            Messages =
            [
                new SlackCall { Kind = SlackCallKind.Message, Ts = bot.Thread.ThreadTs, Content = "kept one" },
                new SlackCall { Kind = SlackCallKind.Message, Ts = bot.Thread.ThreadTs, Content = "kept two" },
            ],
        };
        await Storage.WriteStateAsync("queue", QueueId(bot), new GrainState<SlackChannelQueueState>(earlier));

        Assert.Equal(3, (await Queue(bot).GetStatusAsync()).Queued);
        var moved = await ReadQueueAsync(bot);
        await DrainAsync(bot);

        Assert.Null(moved.Reactions);
        Assert.Null(moved.Messages);
        Assert.Equal(
            [("reactions.add", "eyes"), ("chat.postMessage", "kept one"), ("chat.postMessage", "kept two")],
            fixture.Slack.CallsTo(bot.SlackChannel).Select(call => (call.Method, call.Text ?? call.Name)));
    }

    [Fact]
    public async Task CallsAnEarlierVersionKeptAreSentOnceWhenTheirMoveWasCutShortAfterTheRecordsWereStored()
    {
        var bot = await NewBotAsync();
        var queuedAt = fixture.Clock.GetUtcNow();
        SlackCall Earlier(string content) => new()
        {
            Kind = SlackCallKind.Message, Ts = bot.Thread.ThreadTs, Content = content, QueuedAt = queuedAt,
        };

        // What a move leaves when the silo stops (or the last write fails) after the calls were stored as records
        // of their own but before the queue's record, which still lists them, was written without them.
        var interrupted = new SlackChannelQueueState
        {
            Messages = [Earlier("moved one"), Earlier("moved two")],
            Position = new QueuePosition { LowestLive = 1, ReservedThrough = QueueRecords<SlackCall>.BlockSize },
        };
        await Storage.WriteStateAsync("queue", QueueId(bot), new GrainState<SlackChannelQueueState>(interrupted));
        var sequence = 0;
        foreach (var content in new[] { "moved one", "moved two" })
        {
            var call = Earlier(content);
            call.Sequence = ++sequence;
            await Storage.WriteStateAsync($"queue-call-{sequence}", QueueId(bot), new GrainState<SlackCall>(call));
        }

        Assert.Equal(2, (await Queue(bot).GetStatusAsync()).Queued);
        await DrainAsync(bot);

        Assert.Equal(["moved one", "moved two"], fixture.Slack.CallsTo(bot.SlackChannel).Select(call => call.Text));
    }

    [Fact]
    public async Task MessagesQueuedSideBySideAreSentInTheOrderTheyWereNumbered()
    {
        for (var round = 0; round < 5; round++)
        {
            var bot = await NewBotAsync();
            fixture.Slack.Script(
                "chat.postMessage", bot.SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: 30));
            var parts = Enumerable.Range(1, 24).Select(i => $"part {i}").ToList();

            // Orleans may deliver the two calls in either order; each is numbered as it arrives, and a short one
            // stored sooner must still not be sent ahead of a longer one numbered before it.
            var longer = Queue(bot).EnqueueMessagesAsync(bot.Thread.ThreadTs, parts);
            var shorter = Queue(bot).EnqueueMessagesAsync(bot.Thread.ThreadTs, ["after the parts"]);
            await Task.WhenAll(longer, shorter);
            await QueueDriver.SettledAsync(() => Queue(bot).GetStatusAsync());
            var numbered = await ReadCallsAsync(bot, 1, (await ReadQueueAsync(bot)).Position.ReservedThrough);
            fixture.Clock.Advance(TimeSpan.FromSeconds(30));
            await DrainAsync(bot);

            Assert.Equal(25, numbered.Count);
            Assert.Equal(
                [numbered[0], .. numbered], fixture.Slack.CallsTo(bot.SlackChannel).Select(call => call.Text));
        }
    }

    [Fact]
    public async Task AnEmptyReplyIsRefusedAndNothingIsQueued()
    {
        var bot = await NewBotAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Replies.PostAsync(bot.Thread, " \n "));

        Assert.Equal(0, (await Queue(bot).GetStatusAsync()).Queued);
    }

    private IGrainStorage Storage =>
        fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GrainStorage.Default);

    private GrainId QueueId(Bot bot) => Queue(bot).GetGrainId();

    private async Task<SlackChannelQueueState> ReadQueueAsync(Bot bot)
    {
        var record = new GrainState<SlackChannelQueueState>();
        await Storage.ReadStateAsync("queue", QueueId(bot), record);
        return record.State ?? throw new InvalidOperationException("The queue has no record.");
    }

    private async Task<List<string>> ReadCallsAsync(Bot bot, long from, long through)
    {
        var texts = new List<string>();
        for (var sequence = from; sequence <= through; sequence++)
        {
            var record = new GrainState<SlackCall>();
            await Storage.ReadStateAsync($"queue-call-{sequence}", QueueId(bot), record);
            if (record is { RecordExists: true, State.Kind: SlackCallKind.Message })
            {
                texts.Add(record.State.Content);
            }
        }

        return texts;
    }

    private ISlackChannelQueueGrain Queue(Bot bot) =>
        fixture.Client.GetGrain<ISlackChannelQueueGrain>(bot.Key);

    private Task DrainAsync(Bot bot) => QueueDriver.DrainAsync(fixture.Clock, () => Queue(bot).GetStatusAsync());

    private async Task<Bot> NewBotAsync(bool withToken = true)
    {
        var channelId = Keys.New("bot");
        var token = $"xoxb-test-{Guid.NewGuid():N}";
        var saved = await fixture.Client.GetGrain<INotificationChannelGrain>(channelId).SaveAsync(new ChannelSettings
        {
            Name = "Data team",
            BotToken = withToken ? token : null,
            SigningSecret = withToken ? "test-signing-secret-0123456789abcdef" : null,
        });
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Select(error => $"{error.Key}: {error.Value}")));

        var slackChannel = "C" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var thread = new SlackThreadRef(channelId, "T0TEST", slackChannel, "1700000000.000100");
        return new Bot(channelId, slackChannel, token, thread, SlackChannelQueueKey.For(channelId, slackChannel));
    }

    private static List<TimeSpan> Gaps(IReadOnlyList<SlackApiCall> calls) =>
        calls.Zip(calls.Skip(1), (earlier, later) => later.ReceivedAt - earlier.ReceivedAt).ToList();

    private sealed record Bot(string ChannelId, string SlackChannel, string Token, SlackThreadRef Thread, string Key);
}
