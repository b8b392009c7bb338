using Dagen.Grains.Channels;
using Dagen.Grains.Dagen;
using Dagen.Grains.Secrets;
using Dagen.Grains.Sessions;
using Dagen.Grains.Slack;
using Dagen.Grains.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

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

        services.AddChannelServices(configuration);
        services.AddEventDedupServices(configuration);
        services.AddEmbeddedStorageSerializer();

        return services;
    }

    /// <summary>
    /// The embedded default keeps grain state in memory, where it is copied on every read and write. Orleans'
    /// binary serializer does that several times faster and with far less garbage than the JSON one memory
    /// storage uses otherwise; nothing outlives the process, so the format does not matter. PostgreSQL storage
    /// keeps its JSON.
    /// </summary>
    private static void AddEmbeddedStorageSerializer(this IServiceCollection services) =>
        services.AddOptions<MemoryGrainStorageOptions>(GrainStorage.Default)
            .Configure<Serializer>((options, serializer) =>
                options.GrainStorageSerializer ??= new OrleansGrainStorageSerializer(serializer));

    /// <summary>The key ring that seals channel secrets, and webhook URL validation.</summary>
    private static void AddChannelServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecretsOptions>()
            .Bind(configuration.GetSection(SecretsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>());
        services.TryAddSingleton<SecretKeyRing>();

        services.AddOptions<WebhookHostOptions>()
            .Configure(options => options.Hosts = WebhookHostOptions.Read(configuration));
        services.TryAddSingleton<ChannelSettingsValidator>();
    }

    private static void AddEventDedupServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventDedupOptions>()
            .Bind(configuration.GetSection(EventDedupOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<EventDedupOptions>, EventDedupOptionsValidator>());
    }
}
