namespace Dagen.Grains.Cluster;

/// <summary>
/// A stateless grain that answers at once. The gateway's readiness probe calls it to learn that the cluster
/// is reachable and able to activate grains.
/// </summary>
[Alias("dagen.cluster-ping")]
public interface IClusterPingGrain : IGrainWithIntegerKey
{
    /// <summary>Answers with the address of the silo that served the call.</summary>
    [Alias("ping")]
    Task<string> PingAsync();
}
