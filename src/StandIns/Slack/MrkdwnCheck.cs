using System.Text.RegularExpressions;

namespace Dagen.StandIns.Slack;

/// <summary>
/// Finds what Slack reads as markup although the sender most likely meant plain text: in mrkdwn, <c>&lt;</c> and
/// <c>&gt;</c> open and close links and mentions, so literal ones must be sent as <c>&amp;lt;</c> and
/// <c>&amp;gt;</c>.
/// </summary>
internal static partial class MrkdwnCheck
{
    public static IReadOnlyList<string> Warnings(string text)
    {
        var warnings = new List<string>();
        foreach (Match match in AngleBrackets().Matches(text))
        {
            if (!KnownMarkup().IsMatch(match.Groups[1].Value))
            {
                warnings.Add($"'{match.Value}' is read by Slack as markup, not text: send < and > as &lt; and &gt;.");
            }
        }

        return warnings;
    }

    [GeneratedRegex("<([^<>]*)>")]
    private static partial Regex AngleBrackets();

    /// <summary>User, channel and group mentions, special mentions, links.</summary>
    [GeneratedRegex(@"^(@[UW][A-Z0-9]+|#C[A-Z0-9]+|![a-z^]|https?://|mailto:|tel:)")]
    private static partial Regex KnownMarkup();
}
