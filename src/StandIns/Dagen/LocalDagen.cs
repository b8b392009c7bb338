using System.Collections.Concurrent;
using Dagen.StandIns.Hosting;

namespace Dagen.StandIns.Dagen;

/// <summary>
/// A local Dagen backend for development and tests, standing in for Dagen: the workflow REST API over the
/// sample workflows, runs that take a few seconds and succeed or fail as the samples say, and an
/// OpenAI-compatible agent endpoint that answers from invented sample data.
/// </summary>
public sealed partial class LocalDagen : StandInServer
{
    private LocalDagen(LocalDagenOptions options)
    {
        Options = options;
    }

    public LocalDagenOptions Options { get; }

    /// <summary>What the product uses as <c>Agents:BaseUrl</c>: <c>{BaseUrl}v1/</c>.</summary>
    public Uri AgentsBaseUrl => new(BaseUrl, "v1/");

    /// <summary>
    /// Starts the stand-in on <see cref="LocalDagenOptions.Url"/> (port 0 takes a free port). Invalid options or
    /// sample files throw with a message that says how to fix them.
    /// </summary>
    public static async Task<LocalDagen> StartAsync(
        LocalDagenOptions options, StandInHostOptions? host = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        host ??= new StandInHostOptions();
        var catalog = WorkflowCatalog.Load(options.WorkflowsFile);
        var datasets = SampleDatasets.Load(options.DatasetsFile);

        var builder = CreateBuilder(options.Url, host);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<RunLedger>();
        builder.Services.AddSingleton(new StandInAgent(datasets));
        builder.Services.AddSingleton(new ConcurrentQueue<RecordedChat>());

        var app = builder.Build();
        app.MapDagenPage();
        app.MapWorkflowApi();
        app.MapAgentApi();

        var dagen = new LocalDagen(options);
        await dagen.StartAppAsync(app, cancellationToken);
        LogStarted(app.Logger, dagen.BaseUrl, catalog.All.Count, string.Join(", ", options.Models));
        return dagen;
    }

    /// <summary>The sample workflows with their current statuses.</summary>
    public IReadOnlyList<SampleWorkflow> Workflows => Services.GetRequiredService<WorkflowCatalog>().All;

    /// <summary>Every run started, newest first, as it stands now on the stand-in's clock.</summary>
    public IReadOnlyList<RunView> Runs => Services.GetRequiredService<RunLedger>().Latest(int.MaxValue);

    /// <summary>Every chat completion request received, oldest first.</summary>
    public IReadOnlyList<RecordedChat> Chats => [.. Services.GetRequiredService<ConcurrentQueue<RecordedChat>>()];

    /// <summary>Sets a workflow's status (active, paused, draft), as a person would in Dagen's UI.</summary>
    public void SetWorkflowStatus(string workflowId, string status)
    {
        if (!Services.GetRequiredService<WorkflowCatalog>().SetStatus(workflowId, status))
        {
            throw new KeyNotFoundException($"No sample workflow has id '{workflowId}'.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Local Dagen STAND-IN (development only, not Dagen) on {BaseUrl}: {Workflows} sample workflows, "
            + "agents {Models}")]
    private static partial void LogStarted(ILogger logger, Uri baseUrl, int workflows, string models);
}
