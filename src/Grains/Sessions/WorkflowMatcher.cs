using System.Text;
using Dagen.Grains.Dagen;

namespace Dagen.Grains.Sessions;

/// <summary>
/// Finds the workflow a person means by <c>run &lt;workflow&gt;</c>. Only active workflows count. Names and
/// slugs compare case-insensitively, with spaces, hyphens and underscores alike (<c>daily sync</c> is
/// <c>daily-sync</c>). An exact name or slug wins over partial matches; one partial match is taken; several
/// partial matches and no exact one are handed back so the person can choose.
/// </summary>
internal static class WorkflowMatcher
{
    public static WorkflowMatch Match(IEnumerable<DagenWorkflow> workflows, string query)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var wanted = Normalise(query);
        if (wanted.Length == 0)
        {
            return new WorkflowMatch([], Exact: false);
        }

        var active = workflows.Where(w => w.IsActive).ToList();
        var exact = active
            .Where(w => Normalise(w.Name) == wanted || Normalise(w.Slug) == wanted)
            .ToList();
        if (exact.Count > 0)
        {
            return new WorkflowMatch(exact, Exact: true);
        }

        var partial = active
            .Where(w => Normalise(w.Name).Contains(wanted, StringComparison.Ordinal)
                || Normalise(w.Slug).Contains(wanted, StringComparison.Ordinal))
            .OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new WorkflowMatch(partial, Exact: false);
    }

    /// <summary>Lower case; every run of spaces, hyphens and underscores becomes one hyphen; trimmed.</summary>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var result = new StringBuilder(text.Length);
        var separator = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || c is '-' or '_')
            {
                separator = result.Length > 0;
                continue;
            }

            if (separator)
            {
                result.Append('-');
                separator = false;
            }

            result.Append(char.ToLowerInvariant(c));
        }

        return result.ToString();
    }
}

/// <summary>The workflows that match a name; <see cref="Exact"/> when they matched it exactly.</summary>
internal sealed record WorkflowMatch(IReadOnlyList<DagenWorkflow> Candidates, bool Exact)
{
    /// <summary>The one workflow meant, or null when there is none or a choice has to be made.</summary>
    public DagenWorkflow? Single => Candidates.Count == 1 ? Candidates[0] : null;
}
