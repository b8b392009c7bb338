using Dagen.Gateway.Channels;
using Dagen.Gateway.Health;
using Dagen.Gateway.Slack;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dagen.Gateway.Hosting;

/// <summary>
/// What the gateway serves, apart from the cluster client: options, the Slack Events endpoint, the settings API.
/// Tests host the same pieces over an in-process cluster.
/// </summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddDagenGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());

        services.AddProblemDetails();
        services.TryAddSingleton<SigningSecretCache>();
        services.TryAddSingleton<SlackEventDispatcher>();
        services.TryAddSingleton<AdminTokenFilter>();
        return services;
    }

    public static IEndpointRouteBuilder MapDagenGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthEndpoints();
        endpoints.MapSlackEventEndpoints();
        endpoints.MapChannelEndpoints();
        return endpoints;
    }
}
