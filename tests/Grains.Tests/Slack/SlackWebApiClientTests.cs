using Dagen.Grains.Hosting;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.StandIns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dagen.Grains.Tests.Slack;

/// <summary>The Web API client on its own, against a Slack stand-in of its own per test.</summary>
public sealed class SlackWebApiClientTests : IAsyncLifetime
{
    private const string Token = "xoxb-test-client";
    private const string Channel = "C0CLIENT";

    private SlackStandIn _slack = null!;
    private ServiceProvider _services = null!;

    private ISlackWebApi Slack => _services.GetRequiredService<ISlackWebApi>();

    public async Task InitializeAsync()
    {
        _slack = await SlackStandIn.StartAsync(TimeProvider.System);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString().TrimEnd('/'),
            ["Slack:RequestTimeout"] = "00:00:05",
            ["Dagen:BaseUrl"] = _slack.BaseUrl.ToString(), // never called here
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddDagenGrainServices(configuration);
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task PostingAMessageSendsTheThreadAndReturnsTheMessagesTs()
    {
        var result = await Slack.PostMessageAsync(Token, Channel, "*Done* ✅", "1700000000.000100");

        Assert.True(result.Succeeded);
        Assert.NotNull(result.Ts);
        var call = Assert.Single(_slack.ApiCalls);
        Assert.Equal(("chat.postMessage", Channel, "*Done* ✅"), (call.Method, call.Channel, call.Text));
        Assert.Equal("1700000000.000100", call.ThreadTs);
        Assert.Equal($"Bearer {Token}", call.Authorization);
    }

    [Fact]
    public async Task UpdatingAMessageSendsItsTsAndNewText()
    {
        var result = await Slack.UpdateMessageAsync(Token, Channel, "1700000000.000200", "On it… done.");

        Assert.True(result.Succeeded);
        var call = Assert.Single(_slack.ApiCalls);
        Assert.Equal(("chat.update", "1700000000.000200", "On it… done."), (call.Method, call.Ts, call.Text));
    }

    [Fact]
    public async Task AReactionThatIsAlreadyThereIsSuccess()
    {
        _slack.Script("reactions.add", Channel, StandInAnswer.SlackError("already_reacted"));

        var result = await Slack.AddReactionAsync(Token, Channel, "1700000000.000300", "eyes");

        Assert.Equal(SlackCallOutcome.Ok, result.Outcome);
        Assert.Equal("eyes", Assert.Single(_slack.ApiCalls).Name);
    }

    [Fact]
    public async Task ASlackRefusalComesBackTypedWithTheScopeNeeded()
    {
        _slack.Script("chat.postMessage", Channel, StandInAnswer.SlackError("missing_scope", "chat:write"));

        var result = await Slack.PostMessageAsync(Token, Channel, "hello", null);

        Assert.Equal(
            (SlackCallOutcome.Refused, "missing_scope", "chat:write"), (result.Outcome, result.Error, result.Needed));
        Assert.Contains("'chat:write'", SlackFixes.ForWebApi(result.Error, result.Needed));
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(null, null)]
    public async Task A429ComesBackAsRateLimitedWithTheWaitSlackAsked(int? header, int? seconds)
    {
        _slack.Script("chat.postMessage", Channel, StandInAnswer.RateLimited(header));

        var result = await Slack.PostMessageAsync(Token, Channel, "hello", null);

        Assert.Equal(SlackCallOutcome.RateLimited, result.Outcome);
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), result.RetryAfter);
    }

    [Fact]
    public async Task ServerErrorsTimeOutsAndUnreadableAnswersAreWorthAnotherTry()
    {
        _slack.Script(
            "chat.postMessage",
            Channel,
            StandInAnswer.Failure(503),
            StandInAnswer.Slow(TimeSpan.FromSeconds(8)),
            StandInAnswer.PlainText(200, "<html>gateway</html>"),
            StandInAnswer.SlackError("internal_error"));

        var results = new List<SlackApiResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await Slack.PostMessageAsync(Token, Channel, "hello", null));
        }

        Assert.All(results, result => Assert.Equal(SlackCallOutcome.Transient, result.Outcome));
        Assert.Equal(["http_503", "timeout", "unreadable_answer", "internal_error"], results.Select(r => r.Error));
    }
}
