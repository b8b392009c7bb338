using Dagen.Grains.Hosting;
using Dagen.Grains.Notifications;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.Notifications;

public sealed class SlackWebhookClientTests
{
    [Fact]
    public async Task NoLogOfAnyLibraryShowsTheWebhookUrl()
    {
        await using var slack = await SlackStandIn.StartAsync(TimeProvider.System);
        var everything = new LogRecorder(categoryPrefix: "");
        await using var services = Services(slack, everything);
        var webhookUrl = slack.NewWebhookUrl("logs");

        var delivered = await services.GetRequiredService<ISlackWebhookClient>().PostAsync(webhookUrl, "hi", null);
        var posted = await services.GetRequiredService<ISlackWebApi>()
            .PostMessageAsync("xoxb-test-log", "C0LOG", "hi", null);

        Assert.Equal((SlackCallOutcome.Ok, SlackCallOutcome.Ok), (delivered.Outcome, posted.Outcome));
        Assert.Single(slack.PostsTo(webhookUrl));
        Assert.NotEmpty(everything.Mentioning("chat.postMessage"));
        Assert.False(everything.AnyContains(webhookUrl.AbsolutePath));
        Assert.False(everything.AnyContains("xoxb-test-log"));
    }

    private static ServiceProvider Services(SlackStandIn slack, LogRecorder recorder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Dagen:BaseUrl"] = slack.BaseUrl.ToString(), // never called here
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        services.AddDagenGrainServices(configuration);
        return services.BuildServiceProvider();
    }
}
