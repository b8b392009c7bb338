namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// A test that needs the PostgreSQL database named by env <c>ConnectionStrings__OrleansTests</c> (scripts/test.sh
/// sets it). Skipped, saying so, only when that variable is absent.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "ConnectionStrings__OrleansTests";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Skip = $"{Variable} is not set: run scripts/test.sh, or set it to a PostgreSQL database that has the "
                + "schema in sql/postgresql (bash scripts/setup-postgres.sh).";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
