using Dagen.Grains.Hosting;
using Dagen.Grains.Tests.StandIns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// One in-process cluster shared by every test of the <see cref="ClusterCollection"/>. Grain code runs on
/// <see cref="Clock"/>, a fake clock the tests move forward; the silo's own housekeeping stays on real time.
/// Each test uses grain keys of its own, so tests do not see each other's state.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("Cluster not started.");

    public IClusterClient Client => Cluster.Client;

    /// <summary>The mentions that silo code handed to a session grain.</summary>
    public MentionRecorder Mentions { get; } = new();

    /// <summary>Settings the silos read, as a test run would set them.</summary>
    public Dictionary<string, string?> Settings { get; } = new(TestSettings.Silo);

    /// <summary>The local Slack stand-in (Web API and webhooks) the silo's Slack calls go to.</summary>
    public SlackStandIn Slack { get; private set; } = null!;

    /// <summary>The local Dagen stand-in the silo's Dagen client calls.</summary>
    public DagenStandIn DagenApi { get; private set; } = null!;

    /// <summary>The silo's log lines from the product's own code.</summary>
    public LogRecorder Logs { get; } = new();

    public async Task InitializeAsync()
    {
        // Stand-ins first: nothing the silo calls may point anywhere but 127.0.0.1.
        Slack = await SlackStandIn.StartAsync(Clock);
        DagenApi = await DagenStandIn.StartAsync(Clock);
        Settings["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl.ToString();
        Settings["Slack:RequestTimeout"] = "00:00:05";
        Settings["Dagen:BaseUrl"] = DagenApi.BaseUrl.ToString();
        Settings["Dagen:ApiToken"] = "dagen-test-token";

        // Webhooks of the Slack stand-in live on 127.0.0.1, which TestSettings.Silo allows beside hooks.slack.com.

        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(Settings);
            host.Services.AddDagenGrainServices(host.Configuration);
            host.Services.RemoveAll<TimeProvider>();
            host.Services.AddSingleton<TimeProvider>(Clock);
            host.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            host.Services.AddLogging(
                logging => logging.AddProvider(Logs).AddFilter<LogRecorder>("Dagen", LogLevel.Debug));
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainStorage.Default);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IOutgoingGrainCallFilter>(Mentions);
            silo.Services.Configure<ReminderOptions>(
                options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });

        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await Slack.DisposeAsync();
        await DagenApi.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
