using Dagen.Grains.Cluster;
using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ClusterPingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task PingIsAnsweredByASiloOfTheCluster()
    {
        var silo = await fixture.Client.GetGrain<IClusterPingGrain>(0).PingAsync();

        Assert.Contains(fixture.Cluster.Silos, s => s.SiloAddress.ToString() == silo);
    }
}
