using Dagen.Grains.Agents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Sessions;

/// <summary>Registers what Slack user sessions need: their options (section <c>Sessions</c>) and the agents.</summary>
internal static class SessionServiceCollectionExtensions
{
    public static IServiceCollection AddDagenSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>()
            .Bind(configuration.GetSection(SessionOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>());
        services.AddDagenAgents(configuration);
        return services;
    }
}
