using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dagen.EndToEnd.Tests.Infrastructure;
using Dagen.StandIns.Slack;

namespace Dagen.EndToEnd.Tests.StandIns;

/// <summary>
/// The Web API and webhook of the local workspace answer as Slack does and record what they were asked.
/// </summary>
public sealed class LocalSlackWebApiTests
{
    private static async Task<JsonElement> CallAsync(HttpClient client, string method, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync($"api/{method}", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> PostAsAliceAsync(LocalSlackWorkspace workspace, string text = "hello")
    {
        var posted = await workspace.PostAsUserAsync("alice", text);
        return posted.Message!.Ts;
    }

    [Fact]
    public async Task AWrongBotTokenIsAnsweredInvalidAuth()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var wrong = StandIn.Client(workspace.BaseUrl, "xoxb-test-wrong");
        using var none = StandIn.Client(workspace.BaseUrl, null);

        var refused = await CallAsync(wrong, "chat.postMessage", new() { ["channel"] = "C0LOCAL", ["text"] = "hi" });
        var missing = await CallAsync(none, "auth.test", []);

        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal("invalid_auth", refused.GetProperty("error").GetString());
        Assert.Equal("not_authed", missing.GetProperty("error").GetString());
        Assert.Empty(workspace.Snapshot().Messages);
    }

    [Fact]
    public async Task AuthTestNamesTheBotAndTheTeam()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);

        var answer = await CallAsync(client, "auth.test", []);

        Assert.True(answer.GetProperty("ok").GetBoolean());
        Assert.Equal("T0LOCAL", answer.GetProperty("team_id").GetString());
        Assert.Equal("U0DAGENBOT", answer.GetProperty("user_id").GetString());
        Assert.Equal("B0DAGENBOT", answer.GetProperty("bot_id").GetString());
    }

    [Fact]
    public async Task AFormPostedReplyLandsInTheThreadWithItsOwnTs()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.ApiBaseUrl, StandIn.BotToken);
        var parent = await PostAsAliceAsync(workspace);

        var form = new Dictionary<string, string>
        {
            ["channel"] = "C0LOCAL",
            ["thread_ts"] = parent,
            ["text"] = "Starting workflow *daily-sync*…",
        };
        using var response = await client.PostAsync("chat.postMessage", new FormUrlEncodedContent(form));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(answer.GetProperty("ok").GetBoolean());
        var ts = answer.GetProperty("ts").GetString()!;
        Assert.NotEqual(parent, ts);
        Assert.Equal(parent, answer.GetProperty("message").GetProperty("thread_ts").GetString());
        var reply = Assert.Single(workspace.Snapshot().RepliesTo(parent));
        Assert.Equal(ts, reply.Ts);
        Assert.Equal(MessageSource.Bot, reply.Source);
        Assert.Equal("Starting workflow *daily-sync*…", reply.Text);
    }

    [Fact]
    public async Task AJsonPostedMessageWithBlocksIsAccepted()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.ApiBaseUrl, StandIn.BotToken);
        var parent = await PostAsAliceAsync(workspace);

        using var response = await client.PostAsJsonAsync("chat.postMessage", new
        {
            channel = "C0LOCAL",
            thread_ts = parent,
            text = "fallback",
            blocks = new[] { new { type = "section", text = new { type = "mrkdwn", text = "*hi*" } } },
        });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(answer.GetProperty("ok").GetBoolean());
        var reply = Assert.Single(workspace.Snapshot().RepliesTo(parent));
        Assert.Contains("\"mrkdwn\"", reply.Blocks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnescapedAngleBracketsInATextArePointedOutButAccepted()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);

        var answer = await CallAsync(client, "chat.postMessage", new()
        {
            ["channel"] = "C0LOCAL",
            ["text"] = "Try `@dagen run <workflow>` or ask <@U0ALICE>, see <https://docs.example.org|docs>; 1 &lt; 2",
        });

        Assert.True(answer.GetProperty("ok").GetBoolean());
        var warning = Assert.Single(workspace.Snapshot().Messages.Single().Warnings);
        Assert.Contains("'<workflow>'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLongOrEmptyOrMisplacedMessagesAreRefusedWithSlacksErrors()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);

        var tooLong = await CallAsync(client, "chat.postMessage",
            new() { ["channel"] = "C0LOCAL", ["text"] = new string('a', 40_001) });
        var empty = await CallAsync(client, "chat.postMessage", new() { ["channel"] = "C0LOCAL" });
        var elsewhere = await CallAsync(client, "chat.postMessage",
            new() { ["channel"] = "C0ELSEWHERE", ["text"] = "x" });
        var noThread = await CallAsync(client, "chat.postMessage",
            new() { ["channel"] = "C0LOCAL", ["thread_ts"] = "1.000001", ["text"] = "x" });

        Assert.Equal("msg_too_long", tooLong.GetProperty("error").GetString());
        Assert.Equal("no_text", empty.GetProperty("error").GetString());
        Assert.Equal("channel_not_found", elsewhere.GetProperty("error").GetString());
        Assert.Equal("thread_not_found", noThread.GetProperty("error").GetString());
        Assert.Empty(workspace.Snapshot().Messages);
    }

    [Fact]
    public async Task ASecondEyesReactionIsAnsweredAlreadyReacted()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);
        var ts = await PostAsAliceAsync(workspace, "@dagen help");
        var reaction = new Dictionary<string, string>
        {
            ["channel"] = "C0LOCAL",
            ["timestamp"] = ts,
            ["name"] = "eyes",
        };

        var first = await CallAsync(client, "reactions.add", reaction);
        var second = await CallAsync(client, "reactions.add", reaction);

        Assert.True(first.GetProperty("ok").GetBoolean());
        Assert.Equal("already_reacted", second.GetProperty("error").GetString());
        var message = workspace.Snapshot().Find(ts)!;
        Assert.True(message.HasReaction("eyes", "U0DAGENBOT"));
        Assert.Single(message.Reactions.Single().UserIds);
    }

    [Fact]
    public async Task AReactionOnAnUnknownMessageIsMessageNotFound()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);

        var answer = await CallAsync(client, "reactions.add",
            new() { ["channel"] = "C0LOCAL", ["timestamp"] = "1.000001", ["name"] = "eyes" });

        Assert.Equal("message_not_found", answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheBotCanUpdateItsOwnMessageButNotAPersons()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);
        var persons = await PostAsAliceAsync(workspace);
        var posted = await CallAsync(client, "chat.postMessage",
            new() { ["channel"] = "C0LOCAL", ["text"] = "On it…" });
        var ts = posted.GetProperty("ts").GetString()!;

        var updated = await CallAsync(client, "chat.update",
            new() { ["channel"] = "C0LOCAL", ["ts"] = ts, ["text"] = "Done." });
        var refused = await CallAsync(client, "chat.update",
            new() { ["channel"] = "C0LOCAL", ["ts"] = persons, ["text"] = "Done." });

        Assert.True(updated.GetProperty("ok").GetBoolean());
        Assert.Equal("cant_update_message", refused.GetProperty("error").GetString());
        var message = workspace.Snapshot().Find(ts)!;
        Assert.Equal("Done.", message.Text);
        Assert.NotNull(message.EditedAt);
    }

    [Fact]
    public async Task WithoutChatWriteTheBotGetsMissingScopeNamingIt()
    {
        await using var workspace = await StandIn.SlackAsync();
        workspace.SetBotScopes("app_mentions:read", "reactions:write");
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);

        var answer = await CallAsync(client, "chat.postMessage", new() { ["channel"] = "C0LOCAL", ["text"] = "hi" });

        Assert.Equal("missing_scope", answer.GetProperty("error").GetString());
        Assert.Equal("chat:write", answer.GetProperty("needed").GetString());
        var call = Assert.Single(workspace.Snapshot().ApiCalls);
        Assert.Equal(("chat.postMessage", false, "missing_scope"), (call.Method, call.Ok, call.Error));
    }

    [Fact]
    public async Task ABotOutsideTheChannelGetsNotInChannelUntilInvited()
    {
        await using var workspace = await StandIn.SlackAsync();
        workspace.SetBotInChannel(false);
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);
        var message = new Dictionary<string, string> { ["channel"] = "#dagen-local", ["text"] = "hi" };

        var outside = await CallAsync(client, "chat.postMessage", message);
        var invite = await workspace.PostAsUserAsync("bob", "/invite @Dagen");
        var inside = await CallAsync(client, "chat.postMessage", message);

        Assert.Equal("not_in_channel", outside.GetProperty("error").GetString());
        Assert.Equal("Dagen is in the channel.", invite.Note);
        Assert.True(inside.GetProperty("ok").GetBoolean());
        Assert.Contains(workspace.Snapshot().Messages,
            m => m.Source == MessageSource.System && m.Text.Contains("joined", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInjectedRateLimitIsAnswered429WithRetryAfterOnce()
    {
        await using var workspace = await StandIn.SlackAsync();
        workspace.InjectFault("chat.postMessage", SlackFault.RateLimited(7));
        using var client = StandIn.Client(workspace.BaseUrl, StandIn.BotToken);
        var form = new Dictionary<string, string> { ["channel"] = "C0LOCAL", ["text"] = "hi" };

        using var limited = await client.PostAsync("api/chat.postMessage", new FormUrlEncodedContent(form));
        var next = await CallAsync(client, "chat.postMessage", form);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.True(next.GetProperty("ok").GetBoolean());
        Assert.Single(workspace.Snapshot().Messages);
    }

    [Fact]
    public async Task TheIncomingWebhookAnswersPlainOkAndPostsToTheChannel()
    {
        await using var workspace = await StandIn.SlackAsync();
        using var client = StandIn.Client(workspace.BaseUrl, null);

        using var ok = await client.PostAsJsonAsync(workspace.WebhookUrl, new { text = "Daily Sync finished" });
        using var noText = await client.PostAsJsonAsync(workspace.WebhookUrl, new { username = "x" });
        using var revoked = await client.PostAsJsonAsync(
            new Uri(workspace.BaseUrl, "services/T0LOCAL/B0WEBHOOK/revoked"), new { text = "x" });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("ok", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noText.StatusCode);
        Assert.Equal("no_text", await noText.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        Assert.Equal("no_service", await revoked.Content.ReadAsStringAsync());
        var posted = Assert.Single(workspace.Snapshot().Messages);
        Assert.Equal((MessageSource.Webhook, "Daily Sync finished"), (posted.Source, posted.Text));
    }

    [Fact]
    public async Task AnInjectedWebhookFaultIsAnsweredInPlainTextWithItsStatus()
    {
        await using var workspace = await StandIn.SlackAsync();
        workspace.InjectFault(SlackFault.Webhook, SlackFault.WebhookError(410, "channel_is_archived"));
        using var client = StandIn.Client(workspace.BaseUrl, null);

        using var archived = await client.PostAsJsonAsync(workspace.WebhookUrl, new { text = "x" });

        Assert.Equal(HttpStatusCode.Gone, archived.StatusCode);
        Assert.Equal("channel_is_archived", await archived.Content.ReadAsStringAsync());
        Assert.Empty(workspace.Snapshot().Messages);
    }
}
