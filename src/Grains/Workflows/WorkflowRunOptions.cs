using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Dagen.Grains.Workflows;

/// <summary>The section <c>WorkflowRuns</c>: how a triggered run is watched until it ends.</summary>
public sealed class WorkflowRunOptions
{
    public const string SectionName = "WorkflowRuns";

    /// <summary><c>WorkflowRuns:PollInterval</c>: time between reads of a young run's status. Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>WorkflowRuns:SlowPollAfter</c>: once a run has been watched this long, the interval doubles, and
    /// doubles again each time this much more has passed. Default 2 minutes.
    /// </summary>
    public TimeSpan SlowPollAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>WorkflowRuns:MaxPollInterval</c>: the longest interval between reads, for long runs and while Dagen
    /// fails. Default 1 minute.
    /// </summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>WorkflowRuns:LostTrackAfter</c>: how long Dagen may stay unreachable (or failing, or not knowing the
    /// run) before the bot says in the thread that it lost track of the run and stops. Default 30 minutes.
    /// </summary>
    public TimeSpan LostTrackAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// <c>WorkflowRuns:MaxWatchDuration</c>: a run still going after this long is left alone, with a note in the
    /// thread. Default 24 hours.
    /// </summary>
    public TimeSpan MaxWatchDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// <c>WorkflowRuns:ReminderPeriod</c>: how often a reminder wakes a watched run whose silo has gone, on
    /// another silo. Default 1 minute, the shortest period Orleans allows unless
    /// <c>Orleans:MinimumReminderPeriod</c> is lowered (tests only).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long to wait before the next read: <see cref="PollInterval"/> for a young run, doubling for each
    /// <see cref="SlowPollAfter"/> a run has been watched and for each failed read in a row, never more than
    /// <see cref="MaxPollInterval"/>.
    /// </summary>
    public TimeSpan NextPoll(TimeSpan watchedFor, int failuresInARow)
    {
        var doublings = failuresInARow > 0
            ? failuresInARow
            : (int)Math.Min(30, Math.Max(0, watchedFor.Ticks / Math.Max(1, SlowPollAfter.Ticks)));
        var ticks = PollInterval.Ticks * Math.Pow(2, Math.Min(doublings, 30));
        return ticks >= MaxPollInterval.Ticks ? MaxPollInterval : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>Checks <see cref="WorkflowRunOptions"/> at start-up; each failure names the setting and the fix.</summary>
internal sealed class WorkflowRunOptionsValidator(IOptions<ReminderOptions> reminders)
    : IValidateOptions<WorkflowRunOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowRunOptions options)
    {
        var failures = new List<string>();
        Check(failures, "PollInterval", options.PollInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10),
            "00:00:05");
        Check(failures, "SlowPollAfter", options.SlowPollAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1),
            "00:02:00");
        Check(failures, "MaxPollInterval", options.MaxPollInterval, options.PollInterval, TimeSpan.FromHours(1),
            "00:01:00");
        Check(failures, "LostTrackAfter", options.LostTrackAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7),
            "00:30:00");
        Check(failures, "MaxWatchDuration", options.MaxWatchDuration, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30),
            "1.00:00:00");
        Check(failures, "ReminderPeriod", options.ReminderPeriod, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1),
            "00:01:00");
        var tooShort = ReminderPeriods.TooShort(
            WorkflowRunOptions.SectionName, "ReminderPeriod", options.ReminderPeriod, reminders.Value);
        if (tooShort is not null)
        {
            failures.Add(tooShort);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(
        List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max, string fallback)
    {
        if (value >= min && value <= max)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        failures.Add($"WorkflowRuns:{key} is {value.ToString("c", c)}; set it between {min.ToString("c", c)} and "
            + $"{max.ToString("c", c)} (default {fallback}, env WorkflowRuns__{key}).");
    }
}
