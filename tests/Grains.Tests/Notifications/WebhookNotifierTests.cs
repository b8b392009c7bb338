using Dagen.Grains.Channels;
using Dagen.Grains.Notifications;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.Notifications;

[Collection(ClusterCollection.Name)]
public sealed class WebhookNotifierTests(ClusterFixture fixture)
{
    private IWebhookNotifier Notifier =>
        fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IWebhookNotifier>();

    [Fact]
    public async Task ANotificationNodePostsTextAndBlocksToTheWebhook()
    {
        var channel = await NewChannelAsync();
        const string blocks = """[{"type":"section","text":{"type":"mrkdwn","text":"*Daily Sync* ✅"}}]""";

        var receipt = await Channel(channel).NotifyAsync(
            new Notification { Text = "Daily Sync finished", BlocksJson = blocks });
        await DrainAsync(channel);

        Assert.True(receipt.Accepted);
        var post = Assert.Single(fixture.Slack.PostsTo(channel.WebhookUrl));
        Assert.Equal("Daily Sync finished", post.Text);
        Assert.Equal(blocks, post.BlocksJson);
        Assert.Null((await Channel(channel).GetAsync())!.LastError);
    }

    [Fact]
    public async Task ABurstOfNotificationsArrivesOnceEachAndInOrder()
    {
        var channel = await NewChannelAsync();
        fixture.Slack.ScriptWebhook(
            channel.WebhookUrl,
            StandInAnswer.PlainText(200, "ok"),
            StandInAnswer.PlainText(200, "ok"),
            StandInAnswer.RateLimited(retryAfterSeconds: 3, body: "rate_limited"),
            StandInAnswer.Failure(503));
        var texts = Enumerable.Range(1, 20).Select(i => $"Notification {i:D2}").ToList();

        var ids = new List<string>();
        foreach (var text in texts)
        {
            ids.Add(await Notifier.EnqueueAsync(channel.Id, new Notification { Text = text }));
        }

        await DrainAsync(channel);

        var delivered = fixture.Slack.PostsTo(channel.WebhookUrl).Select(post => post.Text).ToList();
        Assert.Equal(texts.Take(2).Concat([texts[2], texts[2]]).Concat(texts.Skip(2)), delivered);
        Assert.Equal(20, ids.Distinct().Count());
        var posts = fixture.Slack.PostsTo(channel.WebhookUrl);
        var gaps = posts.Zip(posts.Skip(1), (earlier, later) => later.ReceivedAt - earlier.ReceivedAt).ToList();
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromSeconds(1), $"Two posts only {gap} apart."));
        Assert.Equal(TimeSpan.FromSeconds(3), gaps[2]);
        Assert.Equal(20, (await Queue(channel).GetStatusAsync()).Sent);
    }

    [Theory]
    [InlineData(404, "no_service", "new Incoming Webhook")]
    [InlineData(404, "channel_not_found", "existing channel")]
    [InlineData(410, "channel_is_archived", "unarchive")]
    [InlineData(403, "action_prohibited", "admin")]
    [InlineData(400, "invalid_payload", "Block Kit")]
    [InlineData(400, "no_text", "give the Notification node a message")]
    public async Task APermanentWebhookErrorIsNotRetriedAndIsShownOnTheChannel(int status, string error, string fix)
    {
        var channel = await NewChannelAsync();
        fixture.Slack.ScriptWebhook(channel.WebhookUrl, StandInAnswer.PlainText(status, error));

        await Notifier.EnqueueAsync(channel.Id, new Notification { Text = "will fail" });
        await DrainAsync(channel);

        Assert.Single(fixture.Slack.PostsTo(channel.WebhookUrl));
        var lastError = (await Channel(channel).GetAsync())!.LastError;
        Assert.NotNull(lastError);
        Assert.Contains(error, lastError);
        Assert.Contains(fix, lastError);
        var line = Assert.Single(fixture.Logs.Mentioning(channel.Id), line => line.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains(error, line.Message);
        Assert.Contains(fix, line.Message);

        await Notifier.EnqueueAsync(channel.Id, new Notification { Text = "works again" });
        await DrainAsync(channel);

        Assert.Equal("works again", fixture.Slack.PostsTo(channel.WebhookUrl)[^1].Text);
        Assert.Null((await Channel(channel).GetAsync())!.LastError);
    }

    [Theory]
    [InlineData(5, "rate_limited", 5)]
    [InlineData(null, """{"ok":false,"error":"rate_limited","retry_after":4}""", 4)]
    [InlineData(null, "rate_limited", 10)]
    public async Task ARateLimitedWebhookWaitsAsLongAsSlackAsks(int? header, string body, int expectedSeconds)
    {
        var channel = await NewChannelAsync();
        fixture.Slack.ScriptWebhook(channel.WebhookUrl, StandInAnswer.RateLimited(header, body));

        await Notifier.EnqueueAsync(channel.Id, new Notification { Text = "paced" });
        await DrainAsync(channel);

        var posts = fixture.Slack.PostsTo(channel.WebhookUrl);
        Assert.Equal(["paced", "paced"], posts.Select(post => post.Text));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), posts[1].ReceivedAt - posts[0].ReceivedAt);
        Assert.Null((await Channel(channel).GetAsync())!.LastError);
    }

    [Fact]
    public async Task ServerErrorsAndTimeOutsAreRetriedWithBackOff()
    {
        var channel = await NewChannelAsync();
        fixture.Slack.ScriptWebhook(
            channel.WebhookUrl,
            StandInAnswer.Failure(500),
            StandInAnswer.Slow(TimeSpan.FromSeconds(10)),
            StandInAnswer.Failure(502));

        await Notifier.EnqueueAsync(channel.Id, new Notification { Text = "persistent" });
        await DrainAsync(channel);

        var posts = fixture.Slack.PostsTo(channel.WebhookUrl);
        Assert.Equal(4, posts.Count);
        Assert.All(posts, post => Assert.Equal("persistent", post.Text));
        var gaps = posts.Zip(posts.Skip(1), (earlier, later) => later.ReceivedAt - earlier.ReceivedAt);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], gaps);
    }

    [Fact]
    public async Task ANotificationThatKeepsFailingIsGivenUpAndShownOnTheChannel()
    {
        var channel = await NewChannelAsync();
        var attempts = new SlackOptions().MaxAttempts;
        fixture.Slack.ScriptWebhook(
            channel.WebhookUrl, Enumerable.Repeat(StandInAnswer.Failure(503), attempts).ToArray());

        await Notifier.EnqueueAsync(channel.Id, new Notification { Text = "lost cause" });
        await DrainAsync(channel);

        Assert.Equal(attempts, fixture.Slack.PostsTo(channel.WebhookUrl).Count);
        Assert.Contains("Slack kept failing", (await Channel(channel).GetAsync())!.LastError);
    }

    [Fact]
    public async Task TheWebhookUrlNeverAppearsInTheLogs()
    {
        var channel = await NewChannelAsync();
        fixture.Slack.ScriptWebhook(
            channel.WebhookUrl, StandInAnswer.Failure(500), StandInAnswer.PlainText(404, "no_service"));

        await Notifier.EnqueueAsync(channel.Id, new Notification { Text = "secret-free" });
        await DrainAsync(channel);

        Assert.NotEmpty(fixture.Logs.Mentioning(channel.Id));
        Assert.False(fixture.Logs.AnyContains(channel.WebhookUrl.AbsolutePath));
    }

    [Fact]
    public async Task ALongPlainTextNotificationIsSplitAndArrivesWhole()
    {
        var channel = await NewChannelAsync();
        var text = string.Join("\n\n", Enumerable.Range(1, 300).Select(i => $"Row {i}: loaded ✅ without errors"));

        await Notifier.EnqueueAsync(channel.Id, new Notification { Text = text });
        await DrainAsync(channel);

        var posts = fixture.Slack.PostsTo(channel.WebhookUrl);
        Assert.True(posts.Count > 1);
        Assert.Equal(text, string.Concat(posts.Select(post => post.Text)));
    }

    [Theory]
    [InlineData("", null, "no text")]
    [InlineData("hello", """{"type":"section"}""", "JSON array")]
    [InlineData("hello", "[{not json", "not valid JSON")]
    public async Task ABadNotificationIsRefusedWithAClearErrorAndNothingIsQueued(
        string text, string? blocks, string problem)
    {
        var channel = await NewChannelAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Notifier.EnqueueAsync(channel.Id, new Notification { Text = text, BlocksJson = blocks }));

        Assert.Contains(problem, error.Message);
        Assert.Equal(0, (await Queue(channel).GetStatusAsync()).Queued);
    }

    [Fact]
    public async Task AChannelWithoutAWebhookIsReportedOnceAndItsQueueDropped()
    {
        var id = Keys.New("hook");
        await fixture.Client.GetGrain<INotificationChannelGrain>(id)
            .SaveAsync(new ChannelSettings { Name = "No hook" });
        var channel = new TestChannel(id, new Uri("http://127.0.0.1/never-used"));

        await Notifier.EnqueueAsync(id, new Notification { Text = "nowhere to go" });
        await DrainAsync(channel);

        Assert.Equal(1, (await Queue(channel).GetStatusAsync()).GivenUp);
        Assert.Contains("Incoming Webhook URL", (await Channel(channel).GetAsync())!.LastError);
    }

    private INotificationChannelGrain Channel(TestChannel channel) =>
        fixture.Client.GetGrain<INotificationChannelGrain>(channel.Id);

    private IWebhookQueueGrain Queue(TestChannel channel) =>
        fixture.Client.GetGrain<IWebhookQueueGrain>(channel.Id);

    private Task DrainAsync(TestChannel channel) =>
        QueueDriver.DrainAsync(fixture.Clock, () => Queue(channel).GetStatusAsync());

    private async Task<TestChannel> NewChannelAsync()
    {
        var id = Keys.New("hook");
        var url = fixture.Slack.NewWebhookUrl(id);
        var saved = await fixture.Client.GetGrain<INotificationChannelGrain>(id).SaveAsync(new ChannelSettings
        {
            Name = "Pipeline alerts",
            WebhookUrl = url.ToString(),
        });
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Select(error => $"{error.Key}: {error.Value}")));
        return new TestChannel(id, url);
    }

    private sealed record TestChannel(string Id, Uri WebhookUrl);
}
