using System.Text;
using System.Text.RegularExpressions;

namespace Dagen.Grains.Sessions;

/// <summary>
/// Turns the text of an <c>app_mention</c> into what the person meant to say to the bot: the bot's own
/// mention removed wherever it stands, other people's mentions kept, Slack's escapes decoded and white space
/// tidied.
/// </summary>
internal static partial class MentionText
{
    /// <summary>
    /// Cleans <paramref name="text"/>. Mentions of any id in <paramref name="botUserIds"/> are removed; when
    /// that list is empty (the bot's id is unknown), only a mention that opens the message is removed.
    /// </summary>
    public static string Clean(string? text, IReadOnlyCollection<string>? botUserIds)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var withoutBot = botUserIds is { Count: > 0 }
            ? UserMention().Replace(text, m => botUserIds.Contains(m.Groups["id"].Value) ? " " : m.Value)
            : LeadingUserMention().Replace(text, " ", 1);

        return NormaliseWhiteSpace(DecodeEntities(withoutBot));
    }

    /// <summary>Decodes the three escapes Slack uses, in one pass so that <c>&amp;amp;lt;</c> stays text.</summary>
    public static string DecodeEntities(string text) =>
        Entity().Replace(text, m => m.Groups["name"].Value switch
        {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            _ => m.Value,
        });

    /// <summary>
    /// Every kind of space (non-breaking ones included) becomes a plain space, runs of spaces and tabs inside
    /// a line become one, lines are trimmed, more than one blank line in a row becomes one, and the whole
    /// text is trimmed. Line breaks stay: a question may hold a list or a snippet.
    /// </summary>
    public static string NormaliseWhiteSpace(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var result = new StringBuilder(text.Length);
        var blankLines = 0;
        foreach (var line in lines)
        {
            var tidy = CollapseSpaces(line);
            if (tidy.Length == 0)
            {
                blankLines++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blankLines > 0 ? "\n\n" : "\n");
            }

            result.Append(tidy);
            blankLines = 0;
        }

        return result.ToString();
    }

    private static string CollapseSpaces(string line)
    {
        var result = new StringBuilder(line.Length);
        var pendingSpace = false;
        foreach (var c in line)
        {
            if (char.IsWhiteSpace(c) || c == '\u200B' || c == '\uFEFF')
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    [GeneratedRegex(@"<@(?<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>", RegexOptions.CultureInvariant)]
    private static partial Regex UserMention();

    [GeneratedRegex(@"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingUserMention();

    [GeneratedRegex("&(?<name>amp|lt|gt);", RegexOptions.CultureInvariant)]
    private static partial Regex Entity();
}
