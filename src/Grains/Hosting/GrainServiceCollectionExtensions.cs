using Dagen.Grains.Dagen;
using Dagen.Grains.Sessions;
using Dagen.Grains.Slack;
using Dagen.Grains.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dagen.Grains.Hosting;

/// <summary>Registers what the grains need in a silo: options, HTTP clients to Slack and Dagen, the clock.</summary>
public static class GrainServiceCollectionExtensions
{
    public static IServiceCollection AddDagenGrainServices(
        this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddDagenSessions(configuration);
        services.AddDagenWorkflowRuns(configuration);
        services.AddSlackDelivery(configuration);
        services.AddDagenClient(configuration);

        return services;
    }
}
