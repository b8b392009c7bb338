namespace Dagen.Grains.Workflows;

/// <summary>
/// One per Dagen workflow run triggered from Slack, keyed by the run id. Watches the run until it ends and
/// then posts the outcome, exactly once, in the Slack thread that asked for it.
/// </summary>
[Alias("dagen.workflows.workflow-run")]
public interface IWorkflowRunGrain : IGrainWithStringKey
{
    /// <summary>Starts watching the run. Calling it again for the same run changes nothing.</summary>
    [Alias("watch")]
    Task WatchAsync(RunWatch watch);

    /// <summary>
    /// Dagen's own report that the run has ended. Stops polling and posts the outcome if it was not posted.
    /// </summary>
    [Alias("report-completion")]
    Task ReportCompletionAsync(RunCompletion completion);

    /// <summary>What the grain knows of the run, or null when it was never asked to watch it.</summary>
    [Alias("get")]
    Task<RunWatchStatus?> GetAsync();
}
