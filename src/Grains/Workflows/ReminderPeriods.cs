using System.Globalization;
using Orleans.Hosting;

namespace Dagen.Grains.Workflows;

/// <summary>Checks a configured reminder period against the shortest one the silo's reminder service accepts.</summary>
internal static class ReminderPeriods
{
    /// <summary>The failure message when <paramref name="period"/> is too short, else null.</summary>
    public static string? TooShort(string section, string key, TimeSpan period, ReminderOptions reminders)
    {
        if (period <= TimeSpan.Zero || period >= reminders.MinimumReminderPeriod)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        return $"{section}:{key} is {period.ToString("c", c)}, shorter than the silo's shortest reminder period "
            + $"{reminders.MinimumReminderPeriod.ToString("c", c)}; set it to at least that (env {section}__{key}), "
            + "or lower Orleans:MinimumReminderPeriod (for tests only).";
    }
}
