namespace Dagen.Hosting;

/// <summary>How silos find each other and clients find silos.</summary>
public enum ClusteringMode
{
    /// <summary>One silo on this machine; grain state and reminders in memory. The default.</summary>
    Localhost,

    /// <summary>Membership, grain state and reminders in PostgreSQL through ADO.NET.</summary>
    AdoNet,
}
