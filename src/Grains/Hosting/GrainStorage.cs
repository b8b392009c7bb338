namespace Dagen.Grains.Hosting;

/// <summary>Names of the grain storage providers the silo registers.</summary>
public static class GrainStorage
{
    /// <summary>The one store for all grain state: memory on the embedded default, PostgreSQL with AdoNet.</summary>
    public const string Default = "Default";
}
