using System.Globalization;

namespace Dagen.Grains.Slack;

/// <summary>
/// One message of a long text cut for Slack: <see cref="Body"/> is a slice of the original text; when the cut
/// falls inside a code block, <see cref="Prefix"/> reopens it and <see cref="Suffix"/> closes it.
/// </summary>
public sealed record SlackTextPart(string Prefix, string Body, string Suffix)
{
    /// <summary>What is sent to Slack.</summary>
    public string Text => Prefix + Body + Suffix;
}

/// <summary>
/// Cuts text that is too long for one Slack message into messages that keep Slack's limits. Cuts fall on a
/// paragraph boundary when one fits, else on a line boundary, else between words, else between grapheme
/// clusters, so a surrogate pair, an emoji with its modifiers or a ZWJ sequence is never cut. A code block is
/// never cut while it can move whole to the next message; one too long for a message is closed at the cut and
/// reopened in the next. The bodies of the parts, concatenated, are the original text.
/// </summary>
public static class SlackTextSplitter
{
    /// <summary>Slack asks for <c>text</c> under 4,000 characters; this leaves a margin.</summary>
    public const int DefaultMaxLength = 3_900;

    /// <summary>The shortest limit that still leaves room for text between added fences.</summary>
    public const int MinMaxLength = 16;

    private const string Fence = "```";

    private const string ReopenFence = "```\n";

    /// <summary>The texts of the messages, in order.</summary>
    public static IReadOnlyList<string> Split(string text, int maxLength = DefaultMaxLength) =>
        SplitParts(text, maxLength).Select(part => part.Text).ToList();

    /// <summary>The messages with the fences that were added, in order. An empty text gives no part.</summary>
    public static IReadOnlyList<SlackTextPart> SplitParts(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinMaxLength);

        var layout = new TextLayout(text);
        var parts = new List<SlackTextPart>();
        var start = 0;
        while (start < text.Length)
        {
            var prefix = layout.IsInsideCode(start) ? ReopenFence : "";
            var budget = maxLength - prefix.Length;
            var end = text.Length - start <= budget ? text.Length : layout.FindCut(start, budget);
            var suffix = end < text.Length && layout.IsInsideCode(end)
                ? (text[end - 1] == '\n' ? Fence : "\n" + Fence)
                : "";

            parts.Add(new SlackTextPart(prefix, text[start..end], suffix));
            start = end;
        }

        return parts;
    }

    /// <summary>Where the lines, paragraphs, code blocks and grapheme clusters of a text begin and end.</summary>
    private sealed class TextLayout
    {
        /// <summary>Room kept for a closing fence that a cut inside a code block needs (<c>\n```</c>).</summary>
        private const int ClosingReserve = 4;

        private readonly string _text;
        private readonly int[] _graphemeStarts;
        private readonly List<CodeRegion> _regions = [];
        private readonly List<int> _paragraphStarts = [];
        private readonly List<int> _lineStartsOutsideCode = [];
        private readonly List<int> _lineStartsInsideCode = [];

        public TextLayout(string text)
        {
            _text = text;
            _graphemeStarts = StringInfo.ParseCombiningCharacters(text);
            ReadLines();
        }

        public bool IsInsideCode(int position) =>
            _regions.Any(region => region.Start < position && position < region.End);

        /// <summary>The end of the next part that starts at <paramref name="start"/>: always past it.</summary>
        public int FindCut(int start, int budget)
        {
            var limit = start + budget;
            var cut = LastIn(_paragraphStarts, start, limit);
            if (cut < 0)
            {
                cut = LastIn(_lineStartsOutsideCode, start, limit);
            }

            if (cut < 0)
            {
                // Only code from here to the limit: the block is too long for one message, so it is cut on a line.
                cut = LastIn(_lineStartsInsideCode, start, limit - Fence.Length);
            }

            if (cut < 0)
            {
                cut = LastWordBoundary(start, limit - ClosingReserve);
            }

            if (cut < 0)
            {
                cut = LastGraphemeBoundary(start, limit - ClosingReserve);
            }

            return cut > start ? cut : SafeCharBoundary(start, limit - ClosingReserve);
        }

        private void ReadLines()
        {
            var lineStart = 0;
            var previousBlank = false;
            CodeRegion? open = null;
            var insideCandidates = new List<int>();
            while (lineStart < _text.Length)
            {
                var newline = _text.IndexOf('\n', lineStart);
                var lineEnd = newline < 0 ? _text.Length : newline + 1;
                var togglesCode = CountFences(lineStart, lineEnd) % 2 == 1;

                if (open is null)
                {
                    var blank = _text.AsSpan(lineStart, lineEnd - lineStart).IsWhiteSpace();
                    if (lineStart > 0)
                    {
                        _lineStartsOutsideCode.Add(lineStart);
                        if ((previousBlank && !blank) || togglesCode)
                        {
                            _paragraphStarts.Add(lineStart);
                        }
                    }

                    previousBlank = blank;
                    if (togglesCode)
                    {
                        open = new CodeRegion(lineStart, lineEnd, lineEnd, lineEnd);
                        insideCandidates.Clear();
                        previousBlank = false;
                    }
                }
                else if (togglesCode)
                {
                    AddRegion(open with { ClosingStart = lineStart, End = lineEnd }, insideCandidates);
                    open = null;
                    if (lineEnd < _text.Length)
                    {
                        _paragraphStarts.Add(lineEnd);
                    }
                }
                else if (lineStart > open.OpenerEnd)
                {
                    insideCandidates.Add(lineStart);
                }

                lineStart = lineEnd;
            }

            if (open is not null)
            {
                AddRegion(open with { ClosingStart = _text.Length, End = _text.Length }, insideCandidates);
            }
        }

        private void AddRegion(CodeRegion region, List<int> insideCandidates)
        {
            _regions.Add(region);

            // A cut right before the closing fence would leave an empty block in the next message.
            _lineStartsInsideCode.AddRange(insideCandidates.Where(position => position < region.ClosingStart));
        }

        private int CountFences(int start, int end)
        {
            var count = 0;
            var index = _text.IndexOf(Fence, start, end - start, StringComparison.Ordinal);
            while (index >= 0)
            {
                count++;
                var next = index + Fence.Length;
                index = next >= end ? -1 : _text.IndexOf(Fence, next, end - next, StringComparison.Ordinal);
            }

            return count;
        }

        private static int LastIn(List<int> sorted, int after, int atMost)
        {
            for (var i = sorted.Count - 1; i >= 0; i--)
            {
                if (sorted[i] <= atMost)
                {
                    return sorted[i] > after ? sorted[i] : -1;
                }
            }

            return -1;
        }

        private int LastWordBoundary(int start, int limit)
        {
            for (var position = Math.Min(limit, _text.Length); position > start; position--)
            {
                if (_text[position - 1] is ' ' or '\t' && IsGraphemeBoundary(position))
                {
                    return position;
                }
            }

            return -1;
        }

        private int LastGraphemeBoundary(int start, int limit)
        {
            var index = Array.BinarySearch(_graphemeStarts, Math.Min(limit, _text.Length));
            index = index >= 0 ? index : ~index - 1;
            return index >= 0 && _graphemeStarts[index] > start ? _graphemeStarts[index] : -1;
        }

        private bool IsGraphemeBoundary(int position) =>
            position == _text.Length || Array.BinarySearch(_graphemeStarts, position) >= 0;

        /// <summary>
        /// The last resort for one grapheme cluster longer than a whole message (thousands of combining marks):
        /// it is cut, but never between the halves of a surrogate pair.
        /// </summary>
        private int SafeCharBoundary(int start, int limit)
        {
            var position = Math.Min(Math.Max(start + 1, limit), _text.Length);
            if (position < _text.Length && char.IsLowSurrogate(_text[position]))
            {
                position += position - 1 > start ? -1 : 1;
            }

            return position;
        }
    }

    private sealed record CodeRegion(int Start, int OpenerEnd, int ClosingStart, int End);
}
