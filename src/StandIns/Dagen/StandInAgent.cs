using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Dagen.StandIns.Dagen;

/// <summary>One message of a chat completion request.</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// The agents' stand-in. It is no model: it recognises a few kinds of question about the sample data and
/// answers them in Markdown, the same way every time for the same conversation. It keeps nothing between
/// calls; a follow-up works only because the caller sends the earlier turns, as the Super Agent expects.
/// Every answer ends with a line saying it came from the stand-in.
/// </summary>
internal sealed partial class StandInAgent(SampleDatasets datasets)
{
    public const string SuperAgent = "super-agent";

    public const string Dbt = "dbt";

    public const string Ingestion = "ingestion";

    private static readonly Dictionary<string, (string Name, string Short)> Systems = new(StringComparer.Ordinal)
    {
        ["postgres"] = ("PostgreSQL", "pg"),
        ["postgresql"] = ("PostgreSQL", "pg"),
        ["mysql"] = ("MySQL", "my"),
        ["bigquery"] = ("BigQuery", "bq"),
        ["snowflake"] = ("Snowflake", "sf"),
        ["s3"] = ("Amazon S3", "s3"),
    };

    /// <summary>
    /// Where a dbt model's name is looked for, most telling first: "X dbt model", "model X", "compile X".
    /// </summary>
    private static readonly Regex[] ModelPatterns =
    [
        new(@"\b(?<model>[a-z_][a-z0-9_]*) (?:dbt )?model\b", RegexOptions.None, TimeSpan.FromSeconds(1)),
        new(@"\bmodel (?<model>[a-z_][a-z0-9_]*)\b", RegexOptions.None, TimeSpan.FromSeconds(1)),
        new(@"\b(?:compile|run) (?<model>[a-z_][a-z0-9_]*)\b", RegexOptions.None, TimeSpan.FromSeconds(1)),
    ];

    private static readonly HashSet<string> NotModelNames =
        ["a", "an", "the", "my", "our", "this", "that", "dbt", "and", "it", "model", "run", "compile"];

    public string Answer(string model, IReadOnlyList<ChatTurn> messages)
    {
        var question = Clean(messages.LastOrDefault(m => m.Role == "user")?.Content ?? "");
        var earlier = messages.Take(LastIndexOfUser(messages)).ToList();

        var answer = model switch
        {
            Dbt => DbtModel(question)
                ?? OnlyKnows(model, "compiling and running a dbt model, e.g. `compile monthly_revenue`"),
            Ingestion => Pipeline(question)
                ?? OnlyKnows(model, "creating an ingestion pipeline, e.g. `postgres users to bigquery`"),
            _ => Recall(question, earlier)
                ?? Tables(question)
                ?? RowCount(question)
                ?? Pipeline(question)
                ?? DbtModel(question)
                ?? Fallback(question, messages.Count(m => m.Role == "user")),
        };
        return answer + $"\n\n_Answered by the local Dagen stand-in (`{model}`), not by a real agent._";
    }

    /// <summary>Repeats an id given earlier in the conversation, if the question asks for one.</summary>
    private static string? Recall(string question, IReadOnlyList<ChatTurn> earlier)
    {
        var lower = question.ToLowerInvariant();
        if (!RecallPattern().IsMatch(lower))
        {
            return null;
        }

        var given = earlier.Where(m => m.Role == "assistant")
            .SelectMany(m => IdPattern().Matches(m.Content))
            .Select(m => (Kind: m.Groups["kind"].Value, Id: m.Groups["id"].Value))
            .ToList();
        if (given.Count == 0)
        {
            return "I have not created anything in this conversation yet, so there is no id to repeat.";
        }

        var wanted = given.LastOrDefault(g => lower.Contains(g.Kind.ToLowerInvariant(), StringComparison.Ordinal));
        var (kind, id) = wanted.Id is null ? given[^1] : wanted;
        return $"The {kind.ToLowerInvariant()} I created earlier in this conversation was `{id}`.";
    }

    private string? Tables(string question)
    {
        var lower = question.ToLowerInvariant();
        if (!lower.Contains("table", StringComparison.Ordinal) || lower.Contains("pipeline", StringComparison.Ordinal))
        {
            return null;
        }

        var dataset = datasets.DatasetNames.FirstOrDefault(d => WordPattern(d).IsMatch(lower));
        if (dataset is null)
        {
            return "Which dataset? I know " + string.Join(", ", datasets.DatasetNames.Select(d => $"`{d}`")) + ".";
        }

        var tables = datasets.Tables.Where(t => t.Dataset == dataset).OrderByDescending(t => t.Rows).ToList();
        var lines = tables.Select(t => $"- **{t.Name}** ({Rows(t.Rows)} rows) — {t.Description}");
        return $"I found {tables.Count} tables in the `{dataset}` dataset:\n" + string.Join('\n', lines);
    }

    private string? RowCount(string question)
    {
        var lower = question.ToLowerInvariant();
        if (!RowCountPattern().IsMatch(lower))
        {
            return null;
        }

        var table = datasets.Tables.FirstOrDefault(t => WordPattern(t.Name).IsMatch(lower));
        return table is null
            ? "Which table? I know " + string.Join(", ", datasets.Tables.Select(t => $"`{t.Name}`")) + "."
            : $"`{table.Dataset}.{table.Name}` has **{Rows(table.Rows)}** rows.";
    }

    private static string? Pipeline(string question)
    {
        var lower = question.ToLowerInvariant();
        if (!lower.Contains("pipeline", StringComparison.Ordinal)
            && !lower.Contains("ingest", StringComparison.Ordinal))
        {
            return null;
        }

        var mentioned = Systems.Keys
            .Select(k => (Key: k, At: WordPattern(k).Match(lower)))
            .Where(m => m.At.Success)
            .OrderBy(m => m.At.Index)
            .Select(m => Systems[m.Key])
            .Distinct()
            .ToList();
        var source = mentioned.FirstOrDefault(Systems["postgres"]);
        var destination = mentioned.Skip(1).FirstOrDefault(Systems["bigquery"]);
        var table = TablePattern().Match(lower) is { Success: true } match ? match.Groups["table"].Value : "data";
        var id = $"{source.Short}_{table}_{destination.Short}_{1_700_000 + Number(lower) % 100_000}";
        return "I've created an Airbyte ingestion pipeline:\n"
            + $"- **Source:** {source.Name} (`{table}` table)\n"
            + $"- **Destination:** {destination.Name} (`analytics.{table}`)\n"
            + "- **Sync mode:** Incremental (cursor: `updated_at`)\n\n"
            + $"**Pipeline ID:** `{id}`";
    }

    private string? DbtModel(string question)
    {
        var lower = question.ToLowerInvariant();
        if (!lower.Contains("dbt", StringComparison.Ordinal) && !lower.Contains("model", StringComparison.Ordinal)
            && !lower.StartsWith("compile", StringComparison.Ordinal))
        {
            return null;
        }

        var name = ModelPatterns
            .SelectMany(pattern => pattern.Matches(lower))
            .Select(match => match.Groups["model"].Value)
            .FirstOrDefault(candidate => !NotModelNames.Contains(candidate));
        if (name is null)
        {
            return "Which dbt model? Name it, e.g. `compile monthly_revenue`.";
        }

        var known = datasets.Tables.FirstOrDefault(t => t.Name == name);
        var rows = known?.Rows ?? 100 + Number(name) % 9_000;
        var seconds = (1 + Number(name) % 90) / 10.0;
        return $"Compiled and executed `{name}`:\n"
            + "- ✅ 1 model passed\n"
            + $"- Duration: {seconds.ToString("0.0", CultureInfo.InvariantCulture)}s\n"
            + $"- Rows affected: {Rows(rows)}\n\n"
            + $"**Model ID:** `model.analytics.{name}`";
    }

    private string Fallback(string question, int userTurns)
    {
        var names = string.Join(", ", datasets.DatasetNames.Select(d => $"`{d}`"));
        return "I'm the local stand-in for Dagen's agents, so I only know the invented data in "
            + "`samples/datasets.json`. I can:\n"
            + $"- list the tables of a dataset ({names})\n"
            + "- give a table's row count\n"
            + "- create an ingestion pipeline, e.g. from Postgres to BigQuery for the users table\n"
            + "- compile and run a dbt model\n"
            + "- repeat an id I gave you earlier in this conversation\n\n"
            + $"You asked: _{question}_ (your message {userTurns} in this conversation).";
    }

    private static string OnlyKnows(string model, string what) =>
        $"The `{model}` stand-in only knows {what}.";

    /// <summary>The text without Slack mentions and surplus spaces.</summary>
    private static string Clean(string content) =>
        MentionPattern().Replace(content, "").Trim();

    private static int LastIndexOfUser(IReadOnlyList<ChatTurn> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == "user")
            {
                return i;
            }
        }

        return messages.Count;
    }

    private static string Rows(long rows) => rows.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A stable number from text, so the same question gets the same ids and figures.</summary>
    private static long Number(string text) =>
        (long)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0) % 1_000_000_007UL);

    private static Regex WordPattern(string word) =>
        new($@"\b{Regex.Escape(word)}\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\b(again|earlier|before|previous|last|remind)\b")]
    private static partial Regex RecallPattern();

    [GeneratedRegex(@"\*\*(?<kind>[A-Za-z]+) ID:\*\* `(?<id>[^`]+)`")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\b(row count|how many rows|number of rows)\b")]
    private static partial Regex RowCountPattern();

    [GeneratedRegex(@"\bthe (?<table>[a-z_][a-z0-9_]*) table\b|\btable (?<table>[a-z_][a-z0-9_]*)\b")]
    private static partial Regex TablePattern();


    [GeneratedRegex(@"<@[A-Z0-9]+(\|[^>]*)?>")]
    private static partial Regex MentionPattern();
}
