using Dagen.Grains.Hosting;
using Dagen.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Dagen.Silo;

/// <summary>Configures a silo from <see cref="ClusterSettings"/>: the embedded default or PostgreSQL.</summary>
public static class SiloBuilderExtensions
{
    public static ISiloBuilder UseDagenCluster(
        this ISiloBuilder silo, ClusterSettings settings, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);

        if (settings.Clustering == ClusteringMode.AdoNet)
        {
            UsePostgreSql(silo, settings);
        }
        else
        {
            UseEmbedded(silo, settings);
        }

        // Failure detection and the shortest reminder period can be tuned per deployment (and by tests).
        // Orleans itself reads Orleans:Clustering/Reminders/GrainStorage/Endpoints as provider sections, so
        // these live under names of their own.
        var section = configuration.GetSection(ClusterSettings.SectionName);
        silo.Services.Configure<ClusterMembershipOptions>(section.GetSection("Liveness"));
        if (settings.MinimumReminderPeriod is { } period)
        {
            silo.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = period);
        }

        return silo;
    }

    private static void UseEmbedded(ISiloBuilder silo, ClusterSettings settings)
    {
        silo.UseLocalhostClustering(
            settings.SiloPort, settings.GatewayPort, null, settings.ServiceId, settings.ClusterId);
        silo.AddMemoryGrainStorage(GrainStorage.Default);
        silo.UseInMemoryReminderService();
    }

    private static void UsePostgreSql(ISiloBuilder silo, ClusterSettings settings)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });
        silo.ConfigureEndpoints(
            settings.AdvertisedAddress,
            settings.SiloPort,
            settings.GatewayPort,
            listenOnAnyHostAddress: settings.ListenOnAnyHostAddress);
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = ClusterSettings.AdoNetInvariant;
            options.ConnectionString = settings.ConnectionString;
        });
        silo.AddAdoNetGrainStorage(GrainStorage.Default, options =>
        {
            options.Invariant = ClusterSettings.AdoNetInvariant;
            options.ConnectionString = settings.ConnectionString;

            // Cleared state (an expired event record, a sent Slack call) leaves no row behind.
            options.DeleteStateOnClear = true;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = ClusterSettings.AdoNetInvariant;
            options.ConnectionString = settings.ConnectionString;
        });
    }
}
