using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Dagen.Hosting;

/// <summary>
/// Connects a process to the cluster as a client: the gateway, and the Dagen backend, which uses the grain
/// interfaces of Dagen.Grains.Abstractions through the client this sets up.
/// </summary>
public static class ClusterClientExtensions
{
    /// <summary>
    /// Adds an Orleans cluster client configured from <c>Orleans</c> and <c>ConnectionStrings:Orleans</c>.
    /// The client keeps trying to connect while no silo is up instead of failing the process.
    /// </summary>
    public static IHostApplicationBuilder AddDagenClusterClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = ClusterSettings.ReadAndDetach(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.UseOrleansClient(client => client.UseDagenCluster(settings));
        return builder;
    }

    /// <summary>Points an Orleans client at the cluster that <paramref name="settings"/> describe.</summary>
    public static IClientBuilder UseDagenCluster(this IClientBuilder client, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);

        if (settings.Clustering == ClusteringMode.AdoNet)
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ServiceId;
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = ClusterSettings.AdoNetInvariant;
                options.ConnectionString = settings.ConnectionString;
            });
        }
        else
        {
            client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }

        client.UseConnectionRetryFilter<KeepTryingToConnect>();
        return client;
    }

    /// <summary>Reads the settings without registering anything, for hosts that build their own client.</summary>
    public static ClusterSettings ReadClusterSettings(this IConfiguration configuration) =>
        ClusterSettings.Read(configuration);
}

/// <summary>
/// While no silo answers, waits and tries again rather than failing start-up: pods may start in any order.
/// </summary>
internal sealed partial class KeepTryingToConnect(ILogger<KeepTryingToConnect> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        _attempts++;
        LogConnectFailed(_attempts, RetryDelay.TotalSeconds, exception.Message);
        await Task.Delay(RetryDelay, cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cluster not reachable yet (attempt {Attempt}); retrying in {DelaySeconds}s: {Reason}")]
    private partial void LogConnectFailed(int attempt, double delaySeconds, string reason);
}
