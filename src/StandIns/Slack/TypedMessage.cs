using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dagen.StandIns.Slack;

/// <summary>
/// What a person typed, turned into what Slack stores and sends: <c>@name</c> of a member becomes
/// <c>&lt;@U…&gt;</c>, the rest has <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped, and the rich_text
/// blocks carry the unescaped text.
/// </summary>
internal sealed partial record TypedMessage(string Text, IReadOnlyList<string> MentionedUserIds, JsonArray Blocks)
{
    public bool Mentions(string userId) => MentionedUserIds.Contains(userId);

    public static TypedMessage Parse(string typed)
    {
        var text = new StringBuilder();
        var mentioned = new List<string>();
        var elements = new JsonArray();
        var position = 0;

        foreach (Match match in MentionPattern().Matches(typed))
        {
            if (LocalWorkspace.Find(match.Groups["name"].Value) is not { } user)
            {
                continue;
            }

            AppendText(typed[position..match.Index], text, elements);
            text.Append("<@").Append(user.Id).Append('>');
            elements.Add(new JsonObject { ["type"] = "user", ["user_id"] = user.Id });
            if (!mentioned.Contains(user.Id))
            {
                mentioned.Add(user.Id);
            }

            position = match.Index + match.Length;
        }

        AppendText(typed[position..], text, elements);

        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "rich_text",
                ["block_id"] = BlockId(typed),
                ["elements"] = new JsonArray
                {
                    new JsonObject { ["type"] = "rich_text_section", ["elements"] = elements },
                },
            },
        };
        return new TypedMessage(text.ToString(), mentioned, blocks);
    }

    /// <summary>Slack's escaping of message text: only these three characters.</summary>
    public static string Escape(string raw) =>
        raw.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    private static void AppendText(string raw, StringBuilder text, JsonArray elements)
    {
        if (raw.Length == 0)
        {
            return;
        }

        text.Append(Escape(raw));
        elements.Add(new JsonObject { ["type"] = "text", ["text"] = raw });
    }

    private static string BlockId(string typed)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(typed));
        return Convert.ToHexStringLower(hash)[..5];
    }

    [GeneratedRegex(@"(?<![\w@])@(?<name>[A-Za-z0-9_-]+)")]
    private static partial Regex MentionPattern();
}
