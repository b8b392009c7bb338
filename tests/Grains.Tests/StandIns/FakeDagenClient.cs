using System.Collections.Concurrent;
using Dagen.Grains.Dagen;

namespace Dagen.Grains.Tests.StandIns;

/// <summary>
/// An in-memory <see cref="IDagenClient"/> that records every call. The workflow catalogue is shared by
/// the tests; runs, trigger scripts and outages are per run id or per thread, so tests do not meet.
/// </summary>
public sealed class FakeDagenClient : IDagenClient
{
    private readonly ConcurrentDictionary<string, DagenRun> _runs = new();
    private readonly ConcurrentDictionary<string, string> _unreachableRuns = new();
    private readonly ConcurrentDictionary<string, TriggerOutcome> _triggerScripts = new();
    private readonly ConcurrentDictionary<string, string> _triggerFailures = new();
    private readonly ConcurrentDictionary<string, int> _runReads = new();

    public List<DagenWorkflow> Workflows { get; } =
    [
        new("wf-daily-sync", "Daily Sync", "daily-sync", "active"),
        new("wf-daily-report", "Daily Report", "daily-report", "active"),
        new("wf-weekly-load", "Weekly Load", "weekly-load", "active"),
        new("wf-monthly-close", "Monthly Close", "monthly-close", "paused"),
        new("wf-orders", "Orders", "orders", "active"),
        new("wf-orders-backfill", "Orders Backfill", "orders-backfill", "active"),
        new("wf-draft", "Draft Idea", "draft-idea", "draft"),
    ];

    /// <summary>When set, listing workflows fails as if Dagen were down, with this reason.</summary>
    public string? ListingFailsWith { get; set; }

    public IReadOnlyList<DagenRun> RecentRuns { get; set; } = [];

    public ConcurrentQueue<(string WorkflowId, RunTrigger Trigger, TriggerOutcome Outcome)> Triggers { get; } = new();

    public ConcurrentQueue<int> RunListLimits { get; } = new();

    /// <summary>While set, listing runs waits for it to complete (or for the caller to give up).</summary>
    public TaskCompletionSource? RunListGate { get; set; }

    public void SetRun(DagenRun run) => _runs[run.RunId] = run;

    /// <summary>Reads of this run fail as if Dagen were down (null: they work again).</summary>
    public void SetUnreachable(string runId, string? reason)
    {
        if (reason is null)
        {
            _unreachableRuns.TryRemove(runId, out _);
        }
        else
        {
            _unreachableRuns[runId] = reason;
        }
    }

    /// <summary>The next trigger from this thread gets <paramref name="outcome"/>.</summary>
    public void ScriptTrigger(string threadTs, TriggerOutcome outcome) => _triggerScripts[threadTs] = outcome;

    /// <summary>The next trigger from this thread fails as if Dagen were down, with this reason.</summary>
    public void FailTrigger(string threadTs, string reason) => _triggerFailures[threadTs] = reason;

    public int ReadsOf(string runId) => _runReads.GetValueOrDefault(runId);

    public Task<IReadOnlyList<DagenWorkflow>> ListWorkflowsAsync(CancellationToken cancellationToken = default) =>
        ListingFailsWith is { } reason
            ? Task.FromException<IReadOnlyList<DagenWorkflow>>(new DagenUnavailableException(reason))
            : Task.FromResult<IReadOnlyList<DagenWorkflow>>(Workflows.ToList());

    public Task<TriggerOutcome> TriggerRunAsync(
        string workflowId, RunTrigger trigger, CancellationToken cancellationToken = default)
    {
        if (_triggerFailures.TryRemove(trigger.ThreadTs, out var reason))
        {
            return Task.FromException<TriggerOutcome>(new DagenUnavailableException(reason));
        }

        if (!_triggerScripts.TryRemove(trigger.ThreadTs, out var outcome))
        {
            var runId = Guid.NewGuid().ToString("N");
            outcome = new TriggerOutcome { RunId = runId, Status = "queued" };
            var workflow = Workflows.Single(w => w.Id == workflowId);
            SetRun(new DagenRun
            {
                RunId = runId, WorkflowId = workflowId, WorkflowName = workflow.Name, Status = "queued",
            });
        }

        Triggers.Enqueue((workflowId, trigger, outcome));
        return Task.FromResult(outcome);
    }

    public Task<DagenRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        _runReads.AddOrUpdate(runId, 1, (_, n) => n + 1);
        if (_unreachableRuns.TryGetValue(runId, out var reason))
        {
            return Task.FromException<DagenRun?>(new DagenUnavailableException(reason));
        }

        return Task.FromResult(_runs.GetValueOrDefault(runId));
    }

    public Task<IReadOnlyList<DagenRun>> ListRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        RunListLimits.Enqueue(limit);
        return RunListGate is { } gate ? HeldAsync(gate) : Task.FromResult(Listed());

        async Task<IReadOnlyList<DagenRun>> HeldAsync(TaskCompletionSource held)
        {
            await held.Task.WaitAsync(cancellationToken);
            return Listed();
        }

        IReadOnlyList<DagenRun> Listed() => RecentRuns.Take(limit).ToList();
    }
}
