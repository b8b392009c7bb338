using System.Globalization;
using System.Text;
using Dagen.Grains.Dagen;
using Dagen.Grains.Slack;
using Dagen.Grains.Workflows;

namespace Dagen.Grains.Sessions;

/// <summary>The bot's answers to commands, in mrkdwn. Text from Dagen is escaped before it goes in.</summary>
internal static class BotMessages
{
    public const string OnIt = "On it…";

    public const string Help =
        "Here's what I can do:\n"
        + "• `@dagen &lt;question&gt;` — ask the Super Agent anything, "
        + "e.g. `@dagen What's the row count for orders?`\n"
        + "• `@dagen run &lt;workflow&gt;` — trigger a workflow by name, e.g. `@dagen run daily-sync`\n"
        + "• `@dagen list` — list the active workflows, e.g. `@dagen list workflows`\n"
        + "• `@dagen status` — show recent workflow runs and their status\n"
        + "• `@dagen agent &lt;name&gt; &lt;question&gt;` — ask one sub-agent directly, "
        + "e.g. `@dagen agent dbt compile my_model`\n"
        + "• `@dagen reset` — forget our conversation and start a fresh one\n"
        + "• `@dagen help` — show this list";

    public const string ResetDone = "Done — I've forgotten our conversation. Your next question starts a fresh one.";

    public const string RunUsage = "Which workflow should I run? Name it, e.g. `@dagen run daily-sync`.";

    public static string AgentUsage(string? agent) => agent is null
        ? "Which agent, and what should I ask it? E.g. `@dagen agent dbt compile my_model`."
        : $"What should I ask agent `{MrkdwnText.Escape(agent)}`? E.g. `@dagen agent {MrkdwnText.Escape(agent)} "
            + "compile my_model`.";

    public static string ActiveWorkflows(IEnumerable<DagenWorkflow> workflows)
    {
        var active = workflows.Where(w => w.IsActive).OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (active.Count == 0)
        {
            return "There are no active workflows. Activate one in the Dagen UI, then try again.";
        }

        var text = new StringBuilder(
            string.Create(CultureInfo.InvariantCulture, $"*Active workflows* ({active.Count})"));
        foreach (var workflow in active)
        {
            text.Append('\n').Append(WorkflowLine(workflow));
        }

        return text.ToString();
    }

    public static string RecentRuns(IReadOnlyList<DagenRun> runs, DateTimeOffset now)
    {
        if (runs.Count == 0)
        {
            return "No workflow runs yet. Start one with `@dagen run &lt;workflow&gt;`.";
        }

        var text = new StringBuilder("*Recent runs*");
        foreach (var run in runs)
        {
            var name = MrkdwnText.Escape(run.WorkflowName ?? run.WorkflowId ?? "unknown workflow");
            text.Append("\n• ").Append(name)
                .Append(" — ").Append(MrkdwnText.Escape(run.Status))
                .Append(" — ").Append(Started(run))
                .Append(" — ").Append(Took(run, now));
        }

        return text.ToString();
    }

    public static string NoMatch(string query) => $"No active workflow matching '{MrkdwnText.Escape(query)}' found";

    public static string WhichOne(string query, IEnumerable<DagenWorkflow> candidates)
    {
        var text = new StringBuilder($"Several active workflows match '{MrkdwnText.Escape(query)}':");
        foreach (var workflow in candidates)
        {
            text.Append('\n').Append(WorkflowLine(workflow));
        }

        return text
            .Append("\nWhich one do you mean? Say `@dagen run &lt;name&gt;` with its full name or slug.")
            .ToString();
    }

    /// <summary><paramref name="action"/> is mrkdwn already; <paramref name="reason"/> is plain text.</summary>
    public static string DagenDown(string action, string reason)
    {
        var text = reason.Trim();
        if (text.Length == 0 || !".!?".Contains(text[^1], StringComparison.Ordinal))
        {
            text += ".";
        }

        return $"I couldn't {action}: {MrkdwnText.Escape(text)} Please try again in a moment.";
    }

    public static string UnknownAgent(string agent, IEnumerable<string> agents)
    {
        var known = agents.Order(StringComparer.OrdinalIgnoreCase).Select(a => $"`{MrkdwnText.Escape(a)}`").ToList();
        return known.Count == 0
            ? $"I don't know an agent called `{MrkdwnText.Escape(agent)}`, and Dagen lists no agents right now."
            : $"I don't know an agent called `{MrkdwnText.Escape(agent)}`. The agents are: {string.Join(", ", known)}.";
    }

    public static string AgentFailed(string who, string reason) =>
        $"Sorry, I couldn't get an answer from {who}: {MrkdwnText.Escape(reason)}.";

    public static string Interrupted(string question) =>
        "Sorry, I was restarted while working on your message "
        + $"“{MrkdwnText.Escape(Shorten(question, 80))}”. Please send it again if you still need it.";

    public static string SomethingWentWrong(string reason) =>
        $"Sorry, something went wrong while handling your message: {MrkdwnText.Escape(reason)}";

    private static string WorkflowLine(DagenWorkflow workflow) =>
        $"• {MrkdwnText.Escape(workflow.Name)} — `{MrkdwnText.Escape(workflow.Slug)}`";

    private static string Started(DagenRun run) => run.StartedAt is { } at
        ? "started " + at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
        : "not started yet";

    private static string Took(DagenRun run, DateTimeOffset now) => (run.StartedAt, run.FinishedAt) switch
    {
        ({ } start, { } end) => RunMessages.Duration(end - start),
        ({ } start, null) when !run.IsFinal => $"running for {RunMessages.Duration(now - start)}",
        _ => "no duration",
    };

    private static string Shorten(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        // Never cut between the halves of a surrogate pair.
        var cut = char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
