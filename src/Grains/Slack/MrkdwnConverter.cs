using System.Text;
using System.Text.RegularExpressions;

namespace Dagen.Grains.Slack;

/// <summary>
/// Markdown (what the agents answer) to Slack mrkdwn. Placeholder with the smallest real behaviour: escapes
/// <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> and turns <c>**bold**</c> and <c>__bold__</c> into <c>*bold*</c>,
/// leaving code spans and code blocks as they are. The full converter of the Slack layer replaces this file.
/// </summary>
public static partial class MrkdwnConverter
{
    public static string FromMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var result = new StringBuilder(markdown.Length);
        var inCodeBlock = false;
        foreach (var line in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            if (result.Length > 0)
            {
                result.Append('\n');
            }

            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCodeBlock = !inCodeBlock;
                result.Append(MrkdwnText.Escape(line));
                continue;
            }

            result.Append(inCodeBlock ? MrkdwnText.Escape(line) : ConvertLine(line));
        }

        return result.ToString();
    }

    private static string ConvertLine(string line)
    {
        // Odd pieces of a split on backticks are code spans: escaped, never restyled.
        var pieces = line.Split('`');
        for (var i = 0; i < pieces.Length; i++)
        {
            var escaped = MrkdwnText.Escape(pieces[i]);
            pieces[i] = i % 2 == 1 ? escaped : Bold().Replace(escaped, m => $"*{m.Groups["text"].Value}*");
        }

        return string.Join('`', pieces);
    }

    [GeneratedRegex(@"(\*\*|__)(?<text>\S(?:.*?\S)?)\1", RegexOptions.CultureInvariant)]
    private static partial Regex Bold();
}
