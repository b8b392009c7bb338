using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Dagen.Grains.Agents;

/// <summary>Registers the agent client, its options (section <c>Agents</c>) and its HTTP client.</summary>
internal static class AgentServiceCollectionExtensions
{
    public static IServiceCollection AddDagenAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>()
            .Bind(configuration.GetSection(AgentOptions.SectionName))
            .PostConfigure(options => AgentOptions.ApplyDagenDefaults(options, configuration))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());

        services.AddHttpClient(OpenAiAgentClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("agent-retries", static (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<AgentOptions>>().Value;

                // Waits between HTTP attempts are transport time, not grain time: they stay on the real clock
                // even where grains run on another TimeProvider. The whole call is bounded by the caller.
                pipeline.TimeProvider = TimeProvider.System;
                if (settings.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.MaxRetries,
                        Delay = settings.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    });
                }
            });

        services.TryAddSingleton<IAgentClient, OpenAiAgentClient>();
        return services;
    }
}
