using Dagen.Grains.Tests.StandIns;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Stand-ins of Slack and Dagen for a silo started as a process, so that every URL it is given points at a
/// server the test started on 127.0.0.1, whether the silo ends up calling it or not.
/// </summary>
public sealed class LocalBackends : IAsyncDisposable
{
    private LocalBackends(SlackStandIn slack, DagenStandIn dagen)
    {
        Slack = slack;
        Dagen = dagen;
    }

    public SlackStandIn Slack { get; }

    public DagenStandIn Dagen { get; }

    /// <summary>The silo's settings for them, as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Slack__ApiBaseUrl"] = Slack.ApiBaseUrl.ToString(),
        ["Dagen__BaseUrl"] = Dagen.BaseUrl.ToString(),
        ["Dagen__ApiToken"] = "dagen-test-token",
    };

    public static async Task<LocalBackends> StartAsync()
    {
        var slack = await SlackStandIn.StartAsync(TimeProvider.System);
        var dagen = await DagenStandIn.StartAsync(TimeProvider.System);
        return new LocalBackends(slack, dagen);
    }

    public async ValueTask DisposeAsync()
    {
        await Slack.DisposeAsync();
        await Dagen.DisposeAsync();
    }
}
