using Orleans.Concurrency;
using Orleans.Runtime;

namespace Dagen.Grains.Cluster;

[StatelessWorker]
internal sealed class ClusterPingGrain(ILocalSiloDetails silo) : Grain, IClusterPingGrain
{
    public Task<string> PingAsync() => Task.FromResult(silo.SiloAddress.ToString());
}
