using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Dagen.Grains.Slack;

/// <summary>
/// Turns the Markdown that the agents answer in into Slack's mrkdwn: <c>**bold**</c> to <c>*bold*</c>,
/// <c>*italic*</c> and <c>_italic_</c> to <c>_italic_</c>, <c>~~strike~~</c> to <c>~strike~</c>, links to
/// <c>&lt;url|label&gt;</c>, headings to bold lines, bullet lists to <c>•</c>. Code spans and code blocks keep
/// their text as written: no Markdown is converted inside them. <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> are
/// escaped everywhere except in a link's URL, code included, because Slack reads them as control characters
/// in any text (it shows <c>&amp;lt;</c> inside code as <c>&lt;</c>).
/// Known shortcoming: Slack formats <c>*bold*</c> only at word boundaries, so <c>**x**y</c> becomes <c>*x*y</c>,
/// which Slack shows unformatted; and a code block inside a list or quote is written flush left, outside it.
/// </summary>
public static class MrkdwnConverter
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
        .Build();

    private static readonly string[] Bullets = ["•", "◦", "▪"];

    public static string FromMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);

        var document = Markdown.Parse(markdown, Pipeline);
        var lines = RenderChildren(document, blankLineBetween: true, listDepth: 0);
        var mrkdwn = string.Join('\n', lines.Select(line => line.Text));

        // Markdown that renders to nothing (only link definitions, say) is still shown rather than lost.
        return string.IsNullOrWhiteSpace(mrkdwn) ? MrkdwnText.Escape(markdown.Trim()) : mrkdwn;
    }

    private static List<Line> RenderChildren(ContainerBlock container, bool blankLineBetween, int listDepth)
    {
        var lines = new List<Line>();
        foreach (var child in container)
        {
            var rendered = RenderBlock(child, listDepth);
            if (rendered.Count == 0)
            {
                continue;
            }

            if (lines.Count > 0 && blankLineBetween)
            {
                lines.Add(new Line("", Verbatim: false));
            }

            lines.AddRange(rendered);
        }

        return lines;
    }

    private static List<Line> RenderBlock(Block block, int listDepth) => block switch
    {
        HeadingBlock heading => RenderHeading(heading),
        ParagraphBlock paragraph => Plain(RenderInlines(paragraph.Inline, new InlineScope())),
        CodeBlock code => RenderCode(code),
        ListBlock list => RenderList(list, listDepth),
        QuoteBlock quote => RenderChildren(quote, blankLineBetween: true, listDepth)
            .Select(line => line.Verbatim ? line : line with { Text = "> " + line.Text })
            .ToList(),
        ThematicBreakBlock => Plain("──────────"),
        LinkReferenceDefinitionGroup => [],
        ContainerBlock container => RenderChildren(container, blankLineBetween: true, listDepth),
        LeafBlock leaf => Plain(MrkdwnText.Escape(leaf.Lines.ToString())),
        _ => [],
    };

    private static List<Line> RenderHeading(HeadingBlock heading)
    {
        var text = RenderInlines(heading.Inline, new InlineScope { Bold = true }).Trim();
        return text.Length == 0 ? [] : Plain($"*{text}*");
    }

    private static List<Line> RenderCode(CodeBlock code)
    {
        var lines = new List<Line> { new("```", Verbatim: true) };
        for (var i = 0; i < code.Lines.Count; i++)
        {
            lines.Add(new Line(MrkdwnText.Escape(code.Lines.Lines[i].Slice.ToString()), Verbatim: true));
        }

        lines.Add(new Line("```", Verbatim: true));
        return lines;
    }

    private static List<Line> RenderList(ListBlock list, int listDepth)
    {
        var lines = new List<Line>();
        var number = int.TryParse(list.OrderedStart, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            ? first
            : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered
                ? $"{number++}{list.OrderedDelimiter} "
                : Bullets[Math.Min(listDepth, Bullets.Length - 1)] + " ";
            var indent = new string(' ', marker.Length + 1);
            var content = RenderChildren(item, blankLineBetween: false, listDepth + 1);
            if (content.Count == 0 || content[0].Verbatim)
            {
                lines.Add(new Line(marker.TrimEnd(), Verbatim: false));
            }

            for (var i = 0; i < content.Count; i++)
            {
                var line = content[i];
                var isFirst = i == 0 && !line.Verbatim;
                lines.Add(line.Verbatim ? line : line with { Text = (isFirst ? marker : indent) + line.Text });
            }
        }

        return lines;
    }

    private static string RenderInlines(ContainerInline? container, InlineScope scope)
    {
        var text = new StringBuilder();
        if (container is not null)
        {
            foreach (var inline in container)
            {
                WriteInline(text, inline, scope);
            }
        }

        return text.ToString();
    }

    private static void WriteInline(StringBuilder text, Inline inline, InlineScope scope)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(MrkdwnText.Escape(literal.Content.ToString()));
                break;
            case CodeInline code:
                text.Append('`').Append(MrkdwnText.Escape(code.Content)).Append('`');
                break;
            case EmphasisInline emphasis:
                WriteEmphasis(text, emphasis, scope);
                break;
            case LinkInline link:
                WriteLink(text, link);
                break;
            case AutolinkInline { IsEmail: true } email:
                text.Append("<mailto:").Append(SafeUrl(email.Url)).Append('|');
                text.Append(MrkdwnText.Escape(email.Url)).Append('>');
                break;
            case AutolinkInline autolink:
                text.Append('<').Append(SafeUrl(autolink.Url)).Append('>');
                break;
            case LineBreakInline:
                text.Append('\n');
                break;
            case HtmlEntityInline entity:
                text.Append(MrkdwnText.Escape(entity.Transcoded.ToString()));
                break;
            case HtmlInline html:
                text.Append(MrkdwnText.Escape(html.Tag));
                break;
            case DelimiterInline delimiter:
                text.Append(MrkdwnText.Escape(delimiter.ToLiteral()));
                WriteChildren(text, delimiter, scope);
                break;
            case ContainerInline container:
                WriteChildren(text, container, scope);
                break;
            default:
                text.Append(MrkdwnText.Escape(inline.ToString() ?? ""));
                break;
        }
    }

    private static void WriteChildren(StringBuilder text, ContainerInline container, InlineScope scope)
    {
        foreach (var child in container)
        {
            WriteInline(text, child, scope);
        }
    }

    private static void WriteEmphasis(StringBuilder text, EmphasisInline emphasis, InlineScope scope)
    {
        var (mark, inner, already) = emphasis.DelimiterChar switch
        {
            '~' => ("~", scope with { Strike = true }, scope.Strike),
            _ when emphasis.DelimiterCount >= 2 => ("*", scope with { Bold = true }, scope.Bold),
            _ => ("_", scope with { Italic = true }, scope.Italic),
        };

        var content = RenderInlines(emphasis, inner);
        if (already || content.Length == 0)
        {
            text.Append(content);
            return;
        }

        text.Append(mark).Append(content).Append(mark);
    }

    private static void WriteLink(StringBuilder text, LinkInline link)
    {
        var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
        var label = PlainText(link).Trim();
        if (!IsLinkable(url))
        {
            text.Append(label.Length > 0 ? label : MrkdwnText.Escape(url));
            if (label.Length > 0 && url.Length > 0)
            {
                text.Append(" (").Append(MrkdwnText.Escape(url)).Append(')');
            }

            return;
        }

        text.Append('<').Append(SafeUrl(url));
        if (label.Length > 0 && label != url)
        {
            text.Append('|').Append(label);
        }

        text.Append('>');

        // A label can say anything; the answer may repeat text a person typed. Name where the link really goes
        // unless the label already does, so a link cannot pass itself off as another site's.
        if (label.Length > 0 && label != url && Uri.TryCreate(url, UriKind.Absolute, out var target)
            && target.Host.Length > 0 && !label.Contains(target.Host, StringComparison.OrdinalIgnoreCase))
        {
            text.Append(" (").Append(MrkdwnText.Escape(target.Host)).Append(')');
        }
    }

    /// <summary>A link's label or an image's alt text, escaped, without formatting marks.</summary>
    private static string PlainText(ContainerInline container)
    {
        var text = new StringBuilder();
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(MrkdwnText.Escape(literal.Content.ToString()));
                    break;
                case CodeInline code:
                    text.Append(MrkdwnText.Escape(code.Content));
                    break;
                case HtmlEntityInline entity:
                    text.Append(MrkdwnText.Escape(entity.Transcoded.ToString()));
                    break;
                case HtmlInline html:
                    text.Append(MrkdwnText.Escape(html.Tag));
                    break;
                case AutolinkInline autolink:
                    text.Append(MrkdwnText.Escape(autolink.Url));
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case ContainerInline nested:
                    text.Append(PlainText(nested));
                    break;
            }
        }

        return text.ToString();
    }

    private static bool IsLinkable(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);

    /// <summary>Keeps a URL from ending Slack's <c>&lt;url|label&gt;</c> early: no space, bar or angle.</summary>
    private static string SafeUrl(string url) =>
        url.Replace(" ", "%20", StringComparison.Ordinal)
            .Replace("|", "%7C", StringComparison.Ordinal)
            .Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal);

    private static List<Line> Plain(string text) =>
        text.Split('\n').Select(line => new Line(line, Verbatim: false)).ToList();

    /// <summary>A rendered line. Verbatim lines (code) get no quote or list prefix, so code stays as written.</summary>
    private sealed record Line(string Text, bool Verbatim);

    /// <summary>Which marks enclose the text being written, so that none is opened twice.</summary>
    private sealed record InlineScope
    {
        public bool Bold { get; init; }

        public bool Italic { get; init; }

        public bool Strike { get; init; }
    }
}
