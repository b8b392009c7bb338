using Dagen.Grains.Workflows;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Dagen.Grains.Sessions;

/// <summary>The section <c>Sessions</c>: how much of each Slack user's conversation is kept, and more.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary><c>Sessions:MaxHistoryTurns</c>: turns (questions and answers) kept. Default 20.</summary>
    public int MaxHistoryTurns { get; set; } = 20;

    /// <summary>
    /// <c>Sessions:MaxHistoryCharacters</c>: characters kept over all turns. Default 24,000. The oldest turns go
    /// first; one turn is kept to at most half of this so that the latest exchange always fits.
    /// </summary>
    public int MaxHistoryCharacters { get; set; } = 24_000;

    /// <summary><c>Sessions:StatusRunCount</c>: runs shown by <c>status</c>. Default 10.</summary>
    public int StatusRunCount { get; set; } = 10;

    /// <summary>
    /// <c>Sessions:ResumePeriod</c>: while messages wait for an answer, how often a reminder checks that they
    /// are being worked on, so that a silo's failure does not strand them. Default 1 minute, the shortest
    /// reminder period Orleans allows unless <c>Orleans:MinimumReminderPeriod</c> is lowered.
    /// </summary>
    public TimeSpan ResumePeriod { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Checks <see cref="SessionOptions"/> at start-up; each failure names the setting and the fix.</summary>
internal sealed class SessionOptionsValidator(IOptions<ReminderOptions> reminders) : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxHistoryTurns is < 2 or > 200)
        {
            failures.Add($"Sessions:MaxHistoryTurns is {options.MaxHistoryTurns}; set it from 2 to 200 "
                + "(default 20, env Sessions__MaxHistoryTurns).");
        }

        if (options.MaxHistoryCharacters is < 1_000 or > 1_000_000)
        {
            failures.Add($"Sessions:MaxHistoryCharacters is {options.MaxHistoryCharacters}; set it from 1000 "
                + "to 1000000 (default 24000, env Sessions__MaxHistoryCharacters).");
        }

        if (options.StatusRunCount is < 1 or > 50)
        {
            failures.Add($"Sessions:StatusRunCount is {options.StatusRunCount}; set it from 1 to 50 "
                + "(default 10, env Sessions__StatusRunCount).");
        }

        if (options.ResumePeriod <= TimeSpan.Zero || options.ResumePeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"Sessions:ResumePeriod is {options.ResumePeriod:c}; set it to a time span above zero "
                + "and at most 01:00:00 (default 00:01:00, env Sessions__ResumePeriod).");
        }

        var tooShort = ReminderPeriods.TooShort(
            SessionOptions.SectionName, "ResumePeriod", options.ResumePeriod, reminders.Value);
        if (tooShort is not null)
        {
            failures.Add(tooShort);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
