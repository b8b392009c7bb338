using Dagen.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// A cluster of real silo processes on 127.0.0.1 that find each other through ADO.NET clustering in
/// PostgreSQL, keep grain state and reminders there, and are reached by a cluster client. Each instance has
/// a cluster id and service id of its own, so tests never see each other's silos, rows or reminders.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string ConnectionStringVariable = "ConnectionStrings__OrleansTests";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private readonly List<IHost> _clients = [];
    private LocalBackends? _backends;

    public PostgresCluster(IReadOnlyDictionary<string, string>? settings = null)
    {
        ConnectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable)
            ?? throw new InvalidOperationException($"{ConnectionStringVariable} is not set; run scripts/test.sh.");
        var id = Guid.NewGuid().ToString("N")[..12];
        ClusterId = $"test-{id}";
        ServiceId = $"test-service-{id}";
        Settings = settings ?? new Dictionary<string, string>();
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public string ServiceId { get; }

    /// <summary>Extra settings given to every silo, as environment variables (<c>Section__Key</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The Slack and Dagen stand-ins every silo of this cluster talks to.</summary>
    public async Task<LocalBackends> BackendsAsync() => _backends ??= await LocalBackends.StartAsync();

    /// <summary>Starts a silo process on the given ports and waits until it has joined the cluster.</summary>
    public async Task<ChildProcess> StartSiloAsync(string name, int siloPort, int gatewayPort)
    {
        var backends = await BackendsAsync();
        var environment = new Dictionary<string, string>(SiloEnvironment(siloPort, gatewayPort));
        foreach (var (key, value) in backends.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in Settings)
        {
            environment[key] = value;
        }

        var silo = ChildProcess.StartDotnet(name, RepoPaths.SiloDll, environment);
        _processes.Add(silo);
        await silo.WaitForOutputAsync("Application started", StartTimeout);
        return silo;
    }

    /// <summary>Ends a silo gracefully (SIGTERM), as an orchestrator stopping a pod would.</summary>
    public static async Task StopGracefullyAsync(ChildProcess silo)
    {
        await silo.TerminateAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A cluster client connected to this cluster through the membership table.</summary>
    public async Task<IClusterClient> ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Clustering"] = "AdoNet",
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = ServiceId,
            ["ConnectionStrings:Orleans"] = ConnectionString,
        });
        builder.AddDagenClusterClient();
        var host = builder.Build();
        _clients.Add(host);
        await host.StartAsync().WaitAsync(StartTimeout);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception exception) when (exception is OperationCanceledException or OrleansException)
            {
                // The silos may be gone already; nothing to tidy.
            }

            client.Dispose();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_backends is not null)
        {
            await _backends.DisposeAsync();
        }
    }

    private Dictionary<string, string> SiloEnvironment(int siloPort, int gatewayPort) => new()
    {
        ["Orleans__Clustering"] = "AdoNet",
        ["ConnectionStrings__Orleans"] = ConnectionString,
        ["Orleans__ClusterId"] = ClusterId,
        ["Orleans__ServiceId"] = ServiceId,
        ["Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans__MinimumReminderPeriod"] = "00:00:01",

        // Notice a killed silo within seconds rather than the production default.
        ["Orleans__Liveness__ProbeTimeout"] = "00:00:02",
        ["Orleans__Liveness__NumMissedProbesLimit"] = "2",
        ["Orleans__Liveness__NumVotesForDeathDeclaration"] = "1",
        ["Secrets__ActiveKeyId"] = "test",
        ["Secrets__Keys__test"] = TestSecrets.Key,
    };
}
