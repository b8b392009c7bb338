namespace Dagen.Grains.Slack;

/// <summary>Puts text from elsewhere (workflow names, run errors) into mrkdwn without it turning into markup.</summary>
internal static class MrkdwnText
{
    /// <summary>Escapes the three characters Slack gives a meaning: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>.</summary>
    public static string Escape(string? text) =>
        string.IsNullOrEmpty(text)
            ? ""
            : text.Replace("&", "&amp;", StringComparison.Ordinal)
                .Replace("<", "&lt;", StringComparison.Ordinal)
                .Replace(">", "&gt;", StringComparison.Ordinal);
}
