namespace Dagen.Grains.Dagen;

/// <summary>
/// The Dagen backend's workflow API (<c>Dagen:BaseUrl</c>). Calls are bounded by a time-out and retried a
/// few times on 5xx, 429 and network errors; when Dagen stays unreachable they throw
/// <see cref="DagenUnavailableException"/>, whose message can be shown to a person.
/// </summary>
public interface IDagenClient
{
    /// <summary>Every workflow, whatever its status.</summary>
    Task<IReadOnlyList<DagenWorkflow>> ListWorkflowsAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts a run. A workflow that is not active is refused with Dagen's reason.</summary>
    Task<TriggerOutcome> TriggerRunAsync(
        string workflowId, RunTrigger trigger, CancellationToken cancellationToken = default);

    /// <summary>One run, or null when Dagen does not know it.</summary>
    Task<DagenRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The most recent runs, newest first.</summary>
    Task<IReadOnlyList<DagenRun>> ListRunsAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>A workflow as Dagen lists it: <see cref="Status"/> is active, paused or draft.</summary>
[GenerateSerializer, Immutable, Alias("dagen.dagen.workflow")]
public sealed record DagenWorkflow(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Slug,
    [property: Id(3)] string Status)
{
    public bool IsActive => string.Equals(Status, "active", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A run. <see cref="Status"/> is <c>queued</c>, <c>running</c>, <c>success</c>, <c>failed</c> or
/// <c>cancelled</c>; the last three are final.
/// </summary>
[GenerateSerializer, Immutable, Alias("dagen.dagen.run")]
public sealed record DagenRun
{
    [Id(0)] public required string RunId { get; init; }

    [Id(1)] public string? WorkflowId { get; init; }

    [Id(2)] public string? WorkflowName { get; init; }

    [Id(3)] public required string Status { get; init; }

    [Id(4)] public DateTimeOffset? StartedAt { get; init; }

    [Id(5)] public DateTimeOffset? FinishedAt { get; init; }

    [Id(6)] public string? Error { get; init; }

    public bool IsFinal => Status is "success" or "failed" or "cancelled";
}

/// <summary>Who asked for a run, sent to Dagen as the run's trigger.</summary>
[GenerateSerializer, Immutable, Alias("dagen.dagen.run-trigger")]
public sealed record RunTrigger(
    [property: Id(0)] string TeamId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string SlackChannel,
    [property: Id(3)] string ThreadTs);

/// <summary>A started run, or Dagen's reason for refusing to start it (HTTP 409).</summary>
[GenerateSerializer, Immutable, Alias("dagen.dagen.trigger-outcome")]
public sealed record TriggerOutcome
{
    [Id(0)] public string? RunId { get; init; }

    [Id(1)] public string? Status { get; init; }

    [Id(2)] public string? RefusedBecause { get; init; }

    public bool Started => RunId is not null;
}

/// <summary>Dagen could not be reached or kept failing; the message says so in words fit for a person.</summary>
public sealed class DagenUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
