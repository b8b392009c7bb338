using System.Net;
using System.Net.Http.Headers;
using Dagen.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Dagen.Grains.Dagen;

/// <summary>Registers <see cref="IDagenClient"/>: options, the typed client and its resilience pipeline.</summary>
public static class DagenServiceCollectionExtensions
{
    public static IServiceCollection AddDagenClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<DagenOptions>().Bind(configuration.GetSection(DagenOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DagenOptions>, DagenOptionsValidator>();

        services.AddHttpClient<IDagenClient, DagenClient>((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<DagenOptions>>().Value;
                client.BaseAddress = options.BaseUri;

                // The pipeline bounds each call; this only keeps HttpClient's own limit out of its way.
                client.Timeout = options.TotalTimeout + TimeSpan.FromSeconds(5);
                if (!string.IsNullOrWhiteSpace(options.ApiToken))
                {
                    client.DefaultRequestHeaders.Authorization =
                        new AuthenticationHeaderValue("Bearer", options.ApiToken);
                }
            })
            .ConfigurePrimaryHttpMessageHandler(OutgoingHttp.Handler)
            .AddResilienceHandler("dagen", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<DagenOptions>>().Value;

                // Network time-outs and the short waits between attempts run on real time: a test's fake clock
                // must neither freeze a hung call nor cut one short when it moves ahead.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(options.TotalTimeout);
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        Delay = options.RetryBaseDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = arguments =>
                            ValueTask.FromResult(ShouldRetry(arguments.Outcome, arguments.Context)),
                    });
                }

                pipeline.AddTimeout(options.AttemptTimeout);
            });

        return services;
    }

    /// <summary>
    /// 5xx, 429, time-outs and network errors are retried. A request that may change something (starting a run)
    /// is retried only when Dagen cannot have acted on it: 429, 503, or no connection made.
    /// </summary>
    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var method = context.GetRequestMessage()?.Method;
        var safe = method is null || method == HttpMethod.Get || method == HttpMethod.Head;
        return outcome switch
        {
            { Exception: HttpRequestException failure } =>
                safe || failure.HttpRequestError == HttpRequestError.ConnectionError,
            { Exception: TimeoutRejectedException } => safe,
            { Result: { } response } => response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
                HttpStatusCode.RequestTimeout => safe,
                >= HttpStatusCode.InternalServerError => safe,
                _ => false,
            },
            _ => false,
        };
    }
}
