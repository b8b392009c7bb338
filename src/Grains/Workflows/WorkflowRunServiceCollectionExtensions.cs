using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Workflows;

/// <summary>Registers what workflow run grains need: their options (section <c>WorkflowRuns</c>).</summary>
internal static class WorkflowRunServiceCollectionExtensions
{
    public static IServiceCollection AddDagenWorkflowRuns(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkflowRunOptions>()
            .Bind(configuration.GetSection(WorkflowRunOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<WorkflowRunOptions>, WorkflowRunOptionsValidator>());
        return services;
    }
}
