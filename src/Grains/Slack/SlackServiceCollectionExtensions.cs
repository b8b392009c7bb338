using Dagen.Grains.Hosting;
using Dagen.Grains.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Slack;

/// <summary>Registers what the silo sends to Slack with: the Web API and webhook clients, the queues' fronts.</summary>
public static class SlackServiceCollectionExtensions
{
    public static IServiceCollection AddSlackDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();

        // One attempt per call, bounded by the time-out: retries are scheduled by the queue grains, never awaited.
        services.AddHttpClient<ISlackWebApi, SlackWebApiClient>((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<SlackOptions>>().Value;
                client.BaseAddress = options.ApiBaseUri;
                client.Timeout = options.RequestTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(OutgoingHttp.Handler);

        // The webhook URL works as a password, and HttpClient's own logging would write it out with each request.
        services.AddHttpClient<ISlackWebhookClient, SlackWebhookClient>((provider, client) =>
            {
                client.Timeout = provider.GetRequiredService<IOptions<SlackOptions>>().Value.RequestTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(OutgoingHttp.Handler)
            .RemoveAllLoggers();

        services.AddSingleton<ISlackReplies, SlackReplies>();
        services.AddSingleton<IWebhookNotifier, WebhookNotifier>();
        return services;
    }
}
