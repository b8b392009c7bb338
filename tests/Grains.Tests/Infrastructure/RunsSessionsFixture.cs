using Dagen.Grains.Dagen;
using Dagen.Grains.Hosting;
using Dagen.Grains.Sessions;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.StandIns;
using Dagen.Grains.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// A cluster of its own for the session and workflow-run tests, shared by the <see cref="RunsSessionsCollection"/>
/// and nothing else. Slack and Dagen are recording in-memory fakes; the agents are a local OpenAI-compatible
/// stand-in on 127.0.0.1. Grain timers run on <see cref="Clock"/>; reminders stay on real time.
/// </summary>
public sealed class RunsSessionsFixture : IAsyncLifetime
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(40);
    public static readonly TimeSpan LostTrackAfter = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxWatchDuration = TimeSpan.FromMinutes(10);

    private InProcessTestCluster? _cluster;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public RecordingSlackReplies Slack { get; } = new();

    public FakeDagenClient Dagen { get; } = new();

    public AgentStandIn Agents { get; } = new();

    /// <summary>Every log record the silo wrote, at every level, for tests about what is never logged.</summary>
    public FakeLogCollector Logs { get; private set; } = null!;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("Cluster not started.");

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        await Agents.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            // Required at start-up; never called here, since Slack and Dagen are in-memory fakes in this cluster.
            ["Dagen:BaseUrl"] = Agents.V1Url,
            ["Slack:ApiBaseUrl"] = Agents.V1Url,
            ["Agents:BaseUrl"] = Agents.V1Url,
            ["Agents:ApiKey"] = "test-agent-key",
            ["Agents:Timeout"] = AgentTimeout.ToString("c"),
            ["Agents:MaxRetries"] = "1",
            ["Agents:RetryDelay"] = "00:00:00",
            ["WorkflowRuns:PollInterval"] = PollInterval.ToString("c"),
            ["WorkflowRuns:SlowPollAfter"] = "00:02:00",
            ["WorkflowRuns:MaxPollInterval"] = MaxPollInterval.ToString("c"),
            ["WorkflowRuns:LostTrackAfter"] = LostTrackAfter.ToString("c"),
            ["WorkflowRuns:ReminderPeriod"] = ReminderPeriod.ToString("c"),
            ["WorkflowRuns:MaxWatchDuration"] = MaxWatchDuration.ToString("c"),
            ["Sessions:MaxHistoryTurns"] = "6",
            ["Sessions:MaxHistoryCharacters"] = "4000",
            ["Sessions:ResumePeriod"] = "00:00:02",
            ["Secrets:ActiveKeyId"] = TestSettings.KeyId,
            [$"Secrets:Keys:{TestSettings.KeyId}"] = TestSettings.Key,
        };

        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings);
            host.Services.AddDagenGrainServices(host.Configuration);
            host.Services.RemoveAll<TimeProvider>();
            host.Services.AddSingleton<TimeProvider>(Clock);
            host.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            host.Services.RemoveAll<ISlackReplies>();
            host.Services.AddSingleton<ISlackReplies>(Slack);
            host.Services.RemoveAll<IDagenClient>();
            host.Services.AddSingleton<IDagenClient>(Dagen);
            host.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging();
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainStorage.Default);
            silo.UseInMemoryReminderService();
            silo.Services.Configure<ReminderOptions>(
                options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });

        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Logs = _cluster.Silos[0].ServiceProvider.GetRequiredService<FakeLogCollector>();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await Agents.DisposeAsync();
    }

    /// <summary>Moves the fake clock forward in steps, letting grain timers fire between steps.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        var stride = step ?? PollInterval;
        var left = by;
        while (left > TimeSpan.Zero)
        {
            var now = left < stride ? left : stride;
            Clock.Advance(now);
            left -= now;
            await Task.Delay(30);
        }
    }

    public ISlackUserSessionGrain Session(Participant who) =>
        Client.GetGrain<ISlackUserSessionGrain>($"{who.TeamId}:{who.UserId}");

    public IWorkflowRunGrain Run(string runId) => Client.GetGrain<IWorkflowRunGrain>(runId);
}

[CollectionDefinition(Name)]
public sealed class RunsSessionsCollection : ICollectionFixture<RunsSessionsFixture>
{
    public const string Name = "runs-and-sessions";
}
