using Dagen.Grains.Dagen;
using Dagen.Grains.Hosting;
using Dagen.Grains.Slack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Dagen.Grains.Workflows;

/// <summary>
/// Watches one Dagen run, keyed by its id, and posts how it ended in the Slack thread that asked for it.
/// A one-shot grain timer reads the run (on the silo's clock), backing off for long runs and while Dagen
/// fails; a reminder wakes the grain on another silo if this one dies. The follow-up is decided and saved
/// before it is handed to Slack: a silo dying between the two loses that one message rather than posting it
/// twice, and a warning on the next activation says so.
/// </summary>
internal sealed partial class WorkflowRunGrain(
    [PersistentState("workflow-run", GrainStorage.Default)] IPersistentState<WorkflowRunState> state,
    IDagenClient dagen,
    ISlackReplies replies,
    IOptions<WorkflowRunOptions> options,
    TimeProvider clock,
    ILogger<WorkflowRunGrain> logger) : Grain, IWorkflowRunGrain, IRemindable
{
    internal const string ReminderName = "watch-run";

    private IGrainTimer? _poll;
    private DateTimeOffset? _lastPollAt;
    private bool _reminderRegistered;

    private string RunId => this.GetPrimaryKeyString();

    private WorkflowRunOptions Settings => options.Value;

    private bool IsWatching => state.State.Watch is not null && !state.State.Reported;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsWatching)
        {
            LogResumed(RunId, state.State.LastStatus);
            SchedulePoll(Settings.PollInterval);
        }
        else if (state.State.Reported && !state.State.FollowUpQueued)
        {
            LogFollowUpMayBeLost(RunId);
        }

        return Task.CompletedTask;
    }

    public async Task WatchAsync(RunWatch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        if (!string.Equals(watch.RunId, RunId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This grain watches run '{RunId}'; it was sent run '{watch.RunId}'.",
                nameof(watch));
        }

        if (state.State.Watch is not null)
        {
            LogAlreadyWatching(RunId);
            return;
        }

        state.State.Watch = watch;
        state.State.WatchingSince = clock.GetUtcNow();
        state.State.LastStatus = "queued";
        await state.WriteStateAsync();

        SchedulePoll(Settings.PollInterval);
        await TryRegisterReminderAsync();
        LogWatching(RunId, watch.WorkflowName);
    }

    public async Task ReportCompletionAsync(RunCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Status is not ("success" or "failed" or "cancelled"))
        {
            throw new ArgumentException(
                $"A completion's status is success, failed or cancelled; it was '{completion.Status}'.",
                nameof(completion));
        }

        if (state.State.Watch is null)
        {
            LogCompletionOfUnwatchedRun(RunId);
            DeactivateOnIdle();
            return;
        }

        if (state.State.Reported)
        {
            LogAlreadyReported(RunId);
            return;
        }

        LogCompletionReported(RunId, completion.Status);
        var text = RunMessages.Finished(
            completion.Status, completion.StartedAt, completion.FinishedAt, completion.Error);
        await ReportAsync(completion.Status, text);
    }

    public Task<RunWatchStatus?> GetAsync()
    {
        var current = state.State;
        return Task.FromResult(current.Watch is null
            ? null
            : new RunWatchStatus
            {
                Watch = current.Watch,
                LastStatus = current.LastStatus,
                Reported = current.Reported,
                WatchingSince = current.WatchingSince,
                LastProblem = current.LastProblem,
            });
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        _reminderRegistered = true;
        if (!IsWatching)
        {
            await StopWatchingAsync();
            return;
        }

        // A fresh activation (the old silo is gone) or a timer that stopped: read the run now.
        var now = clock.GetUtcNow();
        if (_lastPollAt is null || now - _lastPollAt > Settings.MaxPollInterval * 2)
        {
            LogWokenByReminder(RunId);
            await PollAsync(CancellationToken.None);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        if (!IsWatching)
        {
            await StopWatchingAsync();
            return;
        }

        try
        {
            await PollOnceAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Storage or Slack's queue failed: keep watching at the slowest pace rather than stop.
            LogPollFailed(RunId, exception);
            if (IsWatching)
            {
                SchedulePoll(Settings.MaxPollInterval);
            }
        }
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        _lastPollAt = clock.GetUtcNow();
        if (!_reminderRegistered)
        {
            await TryRegisterReminderAsync();
        }

        var (run, problem) = await ReadRunAsync(cancellationToken);
        if (run is { IsFinal: true })
        {
            await ReportAsync(run.Status, RunMessages.Finished(run.Status, run.StartedAt, run.FinishedAt, run.Error));
            return;
        }

        var now = clock.GetUtcNow();
        var current = state.State;
        if (run is not null)
        {
            await RecordProgressAsync(run.Status);
        }
        else
        {
            await RecordProblemAsync(problem!, now);
            if (now - current.FailingSince >= Settings.LostTrackAfter)
            {
                LogLostTrack(RunId, current.LastProblem);
                var silentFor = now - current.FailingSince!.Value;
                await ReportAsync(current.LastStatus, RunMessages.LostTrack(
                    current.Watch!.WorkflowName, RunId, silentFor, current.LastProblem));
                return;
            }
        }

        var watchedFor = now - current.WatchingSince;
        if (watchedFor >= Settings.MaxWatchDuration)
        {
            LogGaveUp(RunId, watchedFor);
            var note = RunMessages.StillRunning(current.Watch!.WorkflowName, RunId, watchedFor);
            await ReportAsync(current.LastStatus, note);
            return;
        }

        SchedulePoll(Settings.NextPoll(watchedFor, current.FailuresInARow));
    }

    private async Task<(DagenRun? Run, string? Problem)> ReadRunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var run = await dagen.GetRunAsync(RunId, cancellationToken);
            LogRead(RunId, run?.Status ?? "unknown to Dagen");
            return run is null ? (null, "Dagen does not know this run (404)") : (run, null);
        }
        catch (DagenUnavailableException exception)
        {
            return (null, exception.Message);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException
            or OperationCanceledException)
        {
            return (null, $"Dagen did not answer ({exception.GetType().Name})");
        }
    }

    private async Task RecordProgressAsync(string status)
    {
        var current = state.State;
        if (current.LastStatus == status && current.FailuresInARow == 0 && current.LastProblem is null)
        {
            return;
        }

        if (current.FailuresInARow > 0)
        {
            LogDagenBack(RunId, current.FailuresInARow);
        }

        current.LastStatus = status;
        current.FailuresInARow = 0;
        current.FailingSince = null;
        current.LastProblem = null;
        await state.WriteStateAsync();
    }

    private async Task RecordProblemAsync(string problem, DateTimeOffset now)
    {
        var current = state.State;
        current.FailuresInARow++;
        current.FailingSince ??= now;
        current.LastProblem = problem;
        LogReadFailed(RunId, current.FailuresInARow, problem);
        await state.WriteStateAsync();
    }

    /// <summary>Saves the decision, then hands the follow-up to Slack's queue, then stops watching.</summary>
    private async Task ReportAsync(string status, string text)
    {
        var current = state.State;
        var watch = current.Watch!;
        current.Reported = true;
        current.LastStatus = status;
        current.FollowUp = text;
        current.ReportedAt = clock.GetUtcNow();
        current.FollowUpQueued = false;
        await state.WriteStateAsync();

        try
        {
            var thread = new SlackThreadRef(watch.ChannelId, watch.TeamId, watch.SlackChannel, watch.ThreadTs);
            await replies.PostAsync(thread, text);
        }
        catch (Exception exception)
        {
            // Nothing reached the queue, so nothing can be posted twice: take the decision back and read again.
            LogPostFailed(RunId, exception);
            current.Reported = false;
            current.FollowUp = null;
            current.ReportedAt = null;
            await state.WriteStateAsync();
            SchedulePoll(Settings.PollInterval);
            return;
        }

        current.FollowUpQueued = true;
        await state.WriteStateAsync();
        LogReported(RunId, status);
        await StopWatchingAsync();
    }

    private void SchedulePoll(TimeSpan delay)
    {
        if (_poll is null)
        {
            _poll = this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions
            {
                DueTime = delay,
                Period = Timeout.InfiniteTimeSpan,
                Interleave = false,
                KeepAlive = true,
            });
            return;
        }

        _poll.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private async Task TryRegisterReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, Settings.ReminderPeriod, Settings.ReminderPeriod);
            _reminderRegistered = true;
        }
        catch (Exception exception)
        {
            // The timer keeps watching on this silo; the next read tries to register again.
            LogReminderFailed(RunId, exception);
        }
    }

    private async Task StopWatchingAsync()
    {
        _poll?.Dispose();
        _poll = null;
        try
        {
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderRegistered = false;
        }
        catch (Exception exception)
        {
            // The reminder's next tick finds the run reported and tries again.
            LogReminderFailed(RunId, exception);
        }

        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: watching (workflow {WorkflowName})")]
    private partial void LogWatching(string runId, string workflowName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: resumed watching (last status {Status})")]
    private partial void LogResumed(string runId, string status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: already watched; nothing changes")]
    private partial void LogAlreadyWatching(string runId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: read status {Status}")]
    private partial void LogRead(string runId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: woken by its reminder")]
    private partial void LogWokenByReminder(string runId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Run {RunId}: status read failed ({Failures} in a row): {Problem}")]
    private partial void LogReadFailed(string runId, int failures, string problem);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Run {RunId}: Dagen answers again after {Failures} failures")]
    private partial void LogDagenBack(string runId, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: Dagen reported completion ({Status})")]
    private partial void LogCompletionReported(string runId, string status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: completion reported for a run not watched here")]
    private partial void LogCompletionOfUnwatchedRun(string runId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: outcome already posted; nothing to do")]
    private partial void LogAlreadyReported(string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: follow-up posted ({Status}); watch ended")]
    private partial void LogReported(string runId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lost track of the run; last problem: {Problem}")]
    private partial void LogLostTrack(string runId, string? problem);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Run {RunId}: still not finished after {WatchedFor}; stopped watching")]
    private partial void LogGaveUp(string runId, TimeSpan watchedFor);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Run {RunId}: the follow-up could not be queued for Slack; will retry")]
    private partial void LogPostFailed(string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: a status read ended in an error; will retry")]
    private partial void LogPollFailed(string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the watch reminder could not be changed")]
    private partial void LogReminderFailed(string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the silo stopped between deciding the "
        + "follow-up and queueing it; it may not have reached Slack")]
    private partial void LogFollowUpMayBeLost(string runId);
}
