using Dagen.Grains.Cluster;

namespace Dagen.Gateway.Health;

/// <summary>
/// <c>/healthz</c> answers while the process lives; <c>/readyz</c> answers 200 only while a grain call
/// through the cluster succeeds, so a load balancer sends Slack's requests only to gateways that can act.
/// </summary>
public static partial class HealthEndpoints
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", ReadyAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(
        IClusterClient client, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var silo = await client.GetGrain<IClusterPingGrain>(0)
                .PingAsync()
                .WaitAsync(ReadinessTimeout, cancellationToken);
            return Results.Text($"ready: {silo}");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotReady(loggers.CreateLogger("Dagen.Gateway.Health"), exception.GetType().Name, exception.Message);
            return Results.Text("cluster not reachable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Not ready: {ErrorType}: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string errorType, string reason);
}
