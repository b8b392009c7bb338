using System.Globalization;
using Dagen.Grains.Slack;

namespace Dagen.Grains.Workflows;

/// <summary>What the bot says in Slack about a workflow run, word for word as the user guide shows it.</summary>
internal static class RunMessages
{
    /// <summary>How many characters of a run id Slack shows.</summary>
    public const int ShortIdLength = 8;

    public static string Starting(string workflow) => $"Starting workflow {MrkdwnText.Escape(workflow)}…";

    public static string Triggered(string workflowName, string runId) =>
        $"Workflow \"{MrkdwnText.Escape(workflowName)}\" triggered (run {ShortId(runId)}). "
        + "I'll update you when it completes.";

    public static string Refused(string workflowName, string? reason) =>
        $"Workflow \"{MrkdwnText.Escape(workflowName)}\" was not started: "
        + $"{MrkdwnText.Escape(string.IsNullOrWhiteSpace(reason) ? "Dagen refused it without a reason." : reason)}";

    /// <summary>
    /// The follow-up once a run has ended: <c>✅ Workflow finished — success (42s)</c>, the failed form with
    /// its error on the next line, or the cancelled form. Without both times the duration is left out.
    /// </summary>
    public static string Finished(string status, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, string? error)
    {
        var duration = startedAt is { } start && finishedAt is { } end && end >= start
            ? $" ({Duration(end - start)})"
            : "";
        return status switch
        {
            "success" => $"✅ Workflow finished — success{duration}",
            "failed" => string.IsNullOrWhiteSpace(error)
                ? $"❌ Workflow finished — failed{duration}"
                : $"❌ Workflow finished — failed{duration}\nError: {MrkdwnText.Escape(error.Trim())}",
            "cancelled" => $"🚫 Workflow finished — cancelled{duration}",
            _ => $"Workflow finished — {MrkdwnText.Escape(status)}{duration}",
        };
    }

    public static string LostTrack(string workflowName, string runId, TimeSpan silentFor, string? problem) =>
        $"⚠️ I lost track of workflow \"{MrkdwnText.Escape(workflowName)}\" (run {ShortId(runId)}): "
        + $"I could not get its status from Dagen for {Duration(silentFor)}. "
        + $"Last problem: {MrkdwnText.Escape(problem?.Trim().TrimEnd('.') ?? "unknown")}. Check the run in Dagen.";

    public static string StillRunning(string workflowName, string runId, TimeSpan watchedFor) =>
        $"⏳ Workflow \"{MrkdwnText.Escape(workflowName)}\" (run {ShortId(runId)}) is still running after "
        + $"{Duration(watchedFor)}; I've stopped watching it. Check the run in Dagen.";

    /// <summary>The first <see cref="ShortIdLength"/> characters and an ellipsis; a shorter id whole.</summary>
    public static string ShortId(string runId) =>
        runId.Length > ShortIdLength ? $"{MrkdwnText.Escape(runId[..ShortIdLength])}…" : MrkdwnText.Escape(runId);

    /// <summary><c>42s</c>, <c>3m 5s</c>, <c>2h 7m</c>, <c>1d 3h</c>; rounded to the second.</summary>
    public static string Duration(TimeSpan duration)
    {
        var seconds = (long)Math.Round(Math.Max(0, duration.TotalSeconds), MidpointRounding.AwayFromZero);
        var c = CultureInfo.InvariantCulture;
        return seconds switch
        {
            < 60 => string.Create(c, $"{seconds}s"),
            < 3600 => string.Create(c, $"{seconds / 60}m {seconds % 60}s"),
            < 86400 => string.Create(c, $"{seconds / 3600}h {seconds % 3600 / 60}m"),
            _ => string.Create(c, $"{seconds / 86400}d {seconds % 86400 / 3600}h"),
        };
    }
}
