using Dagen.StandIns.Hosting;

namespace Dagen.StandIns.Dagen;

/// <summary>
/// Section <c>LocalDagen</c>: the local Dagen stand-in, serving the workflow REST API and an OpenAI-compatible
/// agent endpoint from sample files. Its token is a development value shared with the product.
/// </summary>
public sealed class LocalDagenOptions
{
    public const string SectionName = "LocalDagen";

    /// <summary>
    /// <c>LocalDagen:Url</c>: where the stand-in listens, a loopback address. Default http://127.0.0.1:5091.
    /// </summary>
    public Uri Url { get; set; } = new("http://127.0.0.1:5091");

    /// <summary><c>LocalDagen:ApiToken</c>: the bearer token both APIs accept. Default a development value.</summary>
    public string ApiToken { get; set; } = "dagen-local-standin-token";

    /// <summary>
    /// <c>LocalDagen:WorkflowsFile</c>: the sample workflows. Default <c>samples/workflows.json</c> beside the
    /// program (copied there from the repository's <c>samples/</c> folder at build).
    /// </summary>
    public string WorkflowsFile { get; set; } = Path.Combine(AppContext.BaseDirectory, "samples", "workflows.json");

    /// <summary><c>LocalDagen:DatasetsFile</c>: the invented warehouse metadata the agent answers from.</summary>
    public string DatasetsFile { get; set; } = Path.Combine(AppContext.BaseDirectory, "samples", "datasets.json");

    /// <summary><c>LocalDagen:QueuedFor</c>: how long a new run stays queued before it runs. Default 1 s.</summary>
    public TimeSpan QueuedFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>LocalDagen:StreamChunkDelay</c>: the pause between streamed chunks of an agent's answer, so that a
    /// streamed reply visibly arrives in pieces. Default 30 ms; zero streams at once.
    /// </summary>
    public TimeSpan StreamChunkDelay { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>The agents <c>/v1/models</c> lists: the Super Agent first, then the sub-agents.</summary>
    public List<string> Models { get; set; } = [StandInAgent.SuperAgent, StandInAgent.Dbt, StandInAgent.Ingestion];

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        try
        {
            StandInServer.LoopbackAddress(Url);
        }
        catch (ArgumentException exception)
        {
            errors.Add($"LocalDagen:Url: {exception.Message}");
        }

        if (string.IsNullOrWhiteSpace(ApiToken))
        {
            errors.Add("LocalDagen:ApiToken is empty; set any non-empty text (env LocalDagen__ApiToken).");
        }

        if (!File.Exists(WorkflowsFile))
        {
            errors.Add(
                $"LocalDagen:WorkflowsFile '{WorkflowsFile}' does not exist; point it at samples/workflows.json.");
        }

        if (!File.Exists(DatasetsFile))
        {
            errors.Add($"LocalDagen:DatasetsFile '{DatasetsFile}' does not exist; point it at samples/datasets.json.");
        }

        if (QueuedFor < TimeSpan.Zero || StreamChunkDelay < TimeSpan.Zero)
        {
            errors.Add("LocalDagen:QueuedFor and LocalDagen:StreamChunkDelay must be zero or more.");
        }

        if (Models.Count == 0 || Models.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("LocalDagen:Models must list at least one agent name, such as super-agent.");
        }

        return errors;
    }
}
