using System.Security.Cryptography;

namespace Dagen.StandIns.Dagen;

/// <summary>Who started a run, as the product sent it in <c>trigger</c>.</summary>
public sealed record RunTriggerRecord(
    string Source, string? TeamId, string? UserId, string? ChannelId, string? ThreadTs);

/// <summary>
/// A run as Dagen reports it at one moment. <see cref="Status"/> moves from <c>queued</c> to <c>running</c>
/// to <c>success</c> or <c>failed</c> as the stand-in's clock passes the run's sample duration.
/// </summary>
public sealed record RunView(
    string RunId, string WorkflowId, string WorkflowName, string Status, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Error, RunTriggerRecord Trigger, DateTimeOffset CreatedAt)
{
    public bool IsFinal => Status is "success" or "failed" or "cancelled";
}

/// <summary>The runs started on the stand-in. A run's status is worked out from the clock when read.</summary>
internal sealed class RunLedger(TimeProvider time, LocalDagenOptions options)
{
    private readonly Lock _lock = new();
    private readonly List<Run> _runs = [];

    public RunView Start(SampleWorkflow workflow, RunTriggerRecord trigger)
    {
        var run = new Run(
            RandomNumberGenerator.GetHexString(32, lowercase: true), workflow, trigger, time.GetUtcNow());
        lock (_lock)
        {
            _runs.Add(run);
        }

        return View(run);
    }

    public RunView? Find(string runId)
    {
        lock (_lock)
        {
            return _runs.FirstOrDefault(r => r.Id == runId) is { } run ? View(run) : null;
        }
    }

    /// <summary>The newest <paramref name="limit"/> runs, newest first.</summary>
    public IReadOnlyList<RunView> Latest(int limit)
    {
        lock (_lock)
        {
            return [.. _runs.AsEnumerable().Reverse().Take(limit).Select(View)];
        }
    }

    private RunView View(Run run)
    {
        var now = time.GetUtcNow();
        var started = run.CreatedAt + options.QueuedFor;
        var finished = started + TimeSpan.FromSeconds(run.Workflow.Run.Seconds);
        var status = now < started ? "queued" : now < finished ? "running" : run.Workflow.Run.Outcome;
        return new RunView(
            run.Id,
            run.Workflow.Id,
            run.Workflow.Name,
            status,
            now < started ? null : started,
            now < finished ? null : finished,
            now < finished ? null : run.Workflow.Run.Error,
            run.Trigger,
            run.CreatedAt);
    }

    private sealed record Run(string Id, SampleWorkflow Workflow, RunTriggerRecord Trigger, DateTimeOffset CreatedAt);
}
