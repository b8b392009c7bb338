namespace Dagen.Grains.Workflows;

/// <summary>What a workflow run grain stores (state name <c>workflow-run</c>).</summary>
[GenerateSerializer, Alias("dagen.workflows.run-state")]
internal sealed class WorkflowRunState
{
    /// <summary>The run and its thread; null until the grain is asked to watch.</summary>
    [Id(0)] public RunWatch? Watch { get; set; }

    [Id(1)] public string LastStatus { get; set; } = "queued";

    /// <summary>
    /// True once the follow-up is decided (the outcome, a lost track, a run left alone). Saved before the
    /// message is handed to Slack, so that no restart can post it a second time.
    /// </summary>
    [Id(2)] public bool Reported { get; set; }

    [Id(3)] public DateTimeOffset WatchingSince { get; set; }

    /// <summary>Why the last read failed, in words for a person; null after a good read.</summary>
    [Id(4)] public string? LastProblem { get; set; }

    /// <summary>When reads began to fail without a good one since; null while Dagen answers.</summary>
    [Id(5)] public DateTimeOffset? FailingSince { get; set; }

    [Id(6)] public int FailuresInARow { get; set; }

    /// <summary>The follow-up text, kept for support.</summary>
    [Id(7)] public string? FollowUp { get; set; }

    [Id(8)] public DateTimeOffset? ReportedAt { get; set; }

    /// <summary>True once the follow-up was handed to Slack's queue after <see cref="Reported"/> was saved.</summary>
    [Id(9)] public bool FollowUpQueued { get; set; }
}
