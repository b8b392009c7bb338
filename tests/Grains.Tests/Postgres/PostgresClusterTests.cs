using Dagen.Grains.Channels;
using Dagen.Grains.Tests.Infrastructure;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Dagen.Grains.Tests.Postgres;

[Collection(ProcessCollection.Name)]
public sealed class PostgresClusterTests
{
    [PostgresFact]
    public async Task TwoSiloProcessesJoinOneClusterAndAClientReachesGrainsOnBoth()
    {
        await using var cluster = new PostgresCluster();
        await cluster.StartSiloAsync("silo-a", FreePorts.Next(), FreePorts.Next());
        await cluster.StartSiloAsync("silo-b", FreePorts.Next(), FreePorts.Next());
        var client = await cluster.ConnectClientAsync();

        var management = client.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToList();

        // Placement picks the silo it thinks best, which may be the same one every time; the hint asks for each.
        var keys = new List<string>();
        foreach (var host in hosts)
        {
            var key = Keys.New("spread");
            keys.Add(key);
            RequestContext.Set(IPlacementDirector.PlacementHintKey, host);
            try
            {
                var saved = await client.GetGrain<INotificationChannelGrain>(key)
                    .SaveAsync(new ChannelSettings { Name = key });
                Assert.True(saved.Succeeded);
            }
            finally
            {
                RequestContext.Clear();
            }
        }

        var statistics = await management.GetDetailedGrainStatistics();
        var silosHoldingChannels = statistics
            .Where(s => keys.Contains(s.GrainId.Key.ToString()!))
            .Select(s => s.SiloAddress)
            .Distinct()
            .ToList();
        Assert.Equal(2, hosts.Count);
        Assert.Equal(hosts.Order(), silosHoldingChannels.Order());
    }

    [PostgresFact]
    public async Task GrainStateIsReadBackAfterEverySiloWasStoppedAndStartedAgain()
    {
        await using var cluster = new PostgresCluster();
        var ports = new[] { (FreePorts.Next(), FreePorts.Next()), (FreePorts.Next(), FreePorts.Next()) };
        var silos = new List<ChildProcess>();
        foreach (var (silo, gateway) in ports)
        {
            silos.Add(await cluster.StartSiloAsync($"silo-{silo}", silo, gateway));
        }

        var client = await cluster.ConnectClientAsync();
        var key = Keys.New("kept");
        await client.GetGrain<INotificationChannelGrain>(key).SaveAsync(new ChannelSettings { Name = "Data team" });

        foreach (var silo in silos)
        {
            await PostgresCluster.StopGracefullyAsync(silo);
        }

        foreach (var (silo, gateway) in ports)
        {
            await cluster.StartSiloAsync($"silo-{silo}-again", silo, gateway);
        }

        var freshClient = await cluster.ConnectClientAsync();
        var channel = await freshClient.GetGrain<INotificationChannelGrain>(key).GetAsync();
        Assert.NotNull(channel);
        Assert.Equal("Data team", channel.Name);
    }
}
