using System.Diagnostics;
using System.Text.Json;
using Dagen.Grains.Channels;
using Dagen.Grains.Sessions;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;

namespace Dagen.Grains.Tests.Slack;

/// <summary>
/// A mention handled by the session grain all the way out: the real Slack queue and Dagen client against the
/// local Slack and Dagen stand-ins, in the order and with the content a person would see in Slack.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MentionToSlackTests(ClusterFixture fixture)
{
    private const string BotUserId = "U0DAGENBOT";

    [Fact]
    public async Task AMentionInAThreadIsAcknowledgedAndAnsweredInThatThread()
    {
        var bot = await NewBotAsync();
        var key = Guid.NewGuid().ToString("N")[..8];
        fixture.DagenApi.AddWorkflow(new StandInWorkflow($"wf-{key}", $"Listed {key}", $"listed-{key}", "active"));
        var mention = Mention(bot, $"<@{BotUserId}> LIST workflows", threadTs: "1700000100.000100");

        await Session(mention).ReceiveMentionAsync(mention);
        var calls = await CallsAsync(bot, count: 2);

        Assert.Equal(("reactions.add", "eyes", mention.Ts), (calls[0].Method, calls[0].Name, calls[0].Ts));
        Assert.Equal(("chat.postMessage", mention.ThreadTs), (calls[1].Method, calls[1].ThreadTs));
        Assert.StartsWith("*Active workflows*", calls[1].Text);
        Assert.Contains($"Listed {key}", calls[1].Text);
        Assert.All(calls, call => Assert.Equal($"Bearer {bot.Token}", call.Authorization));
    }

    [Fact]
    public async Task ARunIsTriggeredInDagenAndItsOutcomeFollowsInTheMentionsThread()
    {
        var bot = await NewBotAsync();
        var key = Guid.NewGuid().ToString("N")[..8];
        var workflowId = $"wf-{key}";
        fixture.DagenApi.AddWorkflow(
            new StandInWorkflow(workflowId, $"Daily Sync {key}", $"daily-sync-{key}", "active"));
        var mention = Mention(bot, $"<@{BotUserId}> run daily-sync-{key}", threadTs: null);

        await Session(mention).ReceiveMentionAsync(mention);
        var started = await CallsAsync(bot, count: 3);
        var run = Assert.Single(fixture.DagenApi.RunsOf(workflowId));
        fixture.DagenApi.SetRun(run with
        {
            Status = "success",
            StartedAt = fixture.Clock.GetUtcNow(),
            FinishedAt = fixture.Clock.GetUtcNow().AddSeconds(42),
        });
        var calls = await CallsAsync(bot, count: 4);

        Assert.Equal("reactions.add", started[0].Method);
        Assert.Equal(
            [
                $"Starting workflow daily-sync-{key}…",
                $"Workflow \"Daily Sync {key}\" triggered (run {run.RunId[..8]}…). "
                + "I'll update you when it completes.",
                "✅ Workflow finished — success (42s)",
            ],
            calls.Skip(1).Select(call => call.Text));
        Assert.All(calls.Skip(1), call => Assert.Equal(mention.Ts, call.ThreadTs));
        var trigger = Assert.Single(fixture.DagenApi.CallsTo($"/api/v1/workflows/{workflowId}/runs"));
        Assert.Equal("Bearer dagen-test-token", trigger.Authorization);
        using var body = JsonDocument.Parse(trigger.Body);
        Assert.Equal(bot.SlackChannel, body.RootElement.GetProperty("trigger").GetProperty("channelId").GetString());
        Assert.Equal(mention.Ts, body.RootElement.GetProperty("trigger").GetProperty("threadTs").GetString());
    }

    [Fact]
    public async Task AnUnknownWorkflowIsAnsweredWithTheGuidesWords()
    {
        var bot = await NewBotAsync();
        var mention = Mention(bot, $"<@{BotUserId}> run no-such-flow-{Guid.NewGuid():N}", threadTs: null);

        await Session(mention).ReceiveMentionAsync(mention);
        var calls = await CallsAsync(bot, count: 2);

        var query = mention.Text[(mention.Text.IndexOf("no-such", StringComparison.Ordinal))..];
        Assert.Equal($"No active workflow matching '{query}' found", calls[1].Text);
    }

    /// <summary>
    /// Waits until the Slack stand-in has <paramref name="count"/> calls for the bot's channel, moving the fake
    /// clock to each attempt the channel's queue scheduled, and a second at a time while it is idle so that
    /// timers elsewhere (a run's polling) fire too.
    /// </summary>
    private async Task<IReadOnlyList<SlackApiCall>> CallsAsync(Bot bot, int count)
    {
        var queue = fixture.Client.GetGrain<ISlackChannelQueueGrain>(bot.Key);
        var watch = Stopwatch.StartNew();
        while (fixture.Slack.CallsTo(bot.SlackChannel).Count < count)
        {
            var sofar = fixture.Slack.CallsTo(bot.SlackChannel).Count;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"Only {sofar} of {count} calls to Slack.");
            var status = await queue.GetStatusAsync();
            var wait = status.NextAttemptAt is { } due ? due - fixture.Clock.GetUtcNow() : TimeSpan.Zero;
            if (status.Sending || (status.Queued > 0 && wait <= TimeSpan.Zero))
            {
                await Task.Delay(10);
                continue;
            }

            fixture.Clock.Advance(status.Queued > 0 ? wait : TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        return fixture.Slack.CallsTo(bot.SlackChannel);
    }

    private ISlackUserSessionGrain Session(SlackMention mention) =>
        fixture.Client.GetGrain<ISlackUserSessionGrain>(mention.SessionKey);

    private SlackMention Mention(Bot bot, string text, string? threadTs) => new()
    {
        EventId = Keys.New("Ev"),
        ChannelId = bot.ChannelId,
        TeamId = "T0TEST",
        UserId = "U0" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
        SlackChannel = bot.SlackChannel,
        Ts = "1700000200.000300",
        ThreadTs = threadTs,
        Text = text,
        BotUserIds = [BotUserId],
        EventTime = fixture.Clock.GetUtcNow(),
    };

    private async Task<Bot> NewBotAsync()
    {
        var channelId = Keys.New("e2e");
        var token = $"xoxb-test-{Guid.NewGuid():N}";
        var saved = await fixture.Client.GetGrain<INotificationChannelGrain>(channelId).SaveAsync(new ChannelSettings
        {
            Name = "Data team",
            BotToken = token,
            SigningSecret = "test-signing-secret-0123456789abcdef",
        });
        Assert.True(saved.Succeeded);
        var slackChannel = "C" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        return new Bot(channelId, slackChannel, token, SlackChannelQueueKey.For(channelId, slackChannel));
    }

    private sealed record Bot(string ChannelId, string SlackChannel, string Token, string Key);
}
