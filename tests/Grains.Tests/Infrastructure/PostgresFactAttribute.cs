namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// A test that needs the PostgreSQL that scripts/test.sh starts. Without it the test is reported as skipped
/// with the reason, never as passed.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(PostgresCluster.ConnectionStringVariable) is null)
        {
            Skip = $"Needs PostgreSQL: set {PostgresCluster.ConnectionStringVariable} or run scripts/test.sh.";
        }
    }
}

/// <summary>Tests that start silo processes run one class at a time, not beside other such classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
