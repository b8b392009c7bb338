using System.Globalization;
using System.Text;
using Dagen.Grains.Slack;

namespace Dagen.Grains.Tests.Slack;

public sealed class SlackTextSplitterTests
{
    private const string Family = "👨‍👩‍👧‍👦";
    private const string ThumbsUpMedium = "👍🏽";
    private const string Flag = "🇳🇱";

    [Fact]
    public void AShortTextIsOneMessageAsWritten()
    {
        var parts = SlackTextSplitter.Split("Workflow *Daily Sync* finished in 42s ✅");

        Assert.Equal(["Workflow *Daily Sync* finished in 42s ✅"], parts);
    }

    [Fact]
    public void AnEmptyTextGivesNoMessage()
    {
        Assert.Empty(SlackTextSplitter.Split(""));
    }

    [Fact]
    public void AParagraphBoundaryIsPreferredToALineBoundary()
    {
        var first = "First line of one.\nSecond line of one.";
        var second = "Paragraph two, which is rather longer than the first.";

        var parts = SlackTextSplitter.Split(first + "\n\n" + second, maxLength: 60);

        Assert.Equal([first + "\n\n", second], parts);
    }

    [Fact]
    public void ALineBoundaryIsUsedWhenNoParagraphFits()
    {
        var lines = Enumerable.Range(1, 6).Select(i => $"line {i} of a list that goes on").ToList();

        var parts = SlackTextSplitter.Split(string.Join('\n', lines), maxLength: 70);

        Assert.All(parts.SkipLast(1), part => Assert.EndsWith("\n", part));
        Assert.Equal(string.Join('\n', lines), string.Concat(parts));
    }

    [Fact]
    public void ACodeBlockThatFitsMovesWholeToTheNextMessage()
    {
        var intro = "Here is the query you asked for, run against the warehouse:\n";
        var code = "```\nSELECT count(*)\nFROM orders\n```";

        var parts = SlackTextSplitter.SplitParts(intro + code, maxLength: 70);

        Assert.Equal([intro, code], parts.Select(part => part.Text));
        Assert.All(parts, part => Assert.Equal("", part.Prefix + part.Suffix));
    }

    [Fact]
    public void ACodeBlockTooLongForAMessageIsClosedAndReopened()
    {
        var rows = Enumerable.Range(1, 30).Select(i => $"INSERT INTO t VALUES ({i});");
        var code = "```sql\n" + string.Join('\n', rows) + "\n```";

        var parts = SlackTextSplitter.SplitParts(code, maxLength: 120);

        Assert.True(parts.Count > 3);
        Assert.StartsWith("```sql\n", parts[0].Text);
        Assert.All(parts, part => Assert.StartsWith("```", part.Text));
        Assert.All(parts, part => Assert.EndsWith("```", part.Text));
        Assert.All(parts.Skip(1), part => Assert.Equal("```\n", part.Prefix));
        Assert.All(parts.SkipLast(1), part => Assert.Equal("```", part.Suffix));
        Assert.Equal(code, string.Concat(parts.Select(part => part.Body)));
    }

    [Fact]
    public void EmojiSequencesAreNeverCut()
    {
        var text = string.Concat(Enumerable.Repeat(Family + ThumbsUpMedium + Flag, 40));

        var parts = SlackTextSplitter.Split(text, maxLength: 50);

        Assert.True(parts.Count > 1);
        var whole = new HashSet<string> { Family, ThumbsUpMedium, Flag };
        Assert.All(parts, part => Assert.All(Graphemes(part), grapheme => Assert.Contains(grapheme, whole)));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void ALongLineIsCutBetweenWords()
    {
        var text = string.Join(' ', Enumerable.Repeat("pipeline", 40));

        var parts = SlackTextSplitter.Split(text, maxLength: 100);

        Assert.All(parts.SkipLast(1), part => Assert.EndsWith(" ", part));
        Assert.Equal(text, string.Concat(parts));
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 64)]
    [InlineData(3, 100)]
    [InlineData(4, 333)]
    [InlineData(5, 1_000)]
    [InlineData(6, SlackTextSplitter.DefaultMaxLength)]
    public void AnyTextComesBackWholeFromItsPartsWithinTheLimit(int seed, int maxLength)
    {
        var random = new Random(seed);
        var reopened = 0;
        for (var round = 0; round < 60; round++)
        {
            var text = RandomAnswer(random, random.Next(0, 12_000));

            var parts = SlackTextSplitter.SplitParts(text, maxLength);
            reopened += parts.Count(part => part.Prefix.Length > 0);

            Assert.Equal(text, string.Concat(parts.Select(part => part.Body)));
            Assert.All(parts, part => Assert.InRange(part.Text.Length, 1, maxLength));
            Assert.All(parts, part => Assert.NotEqual("", part.Body));
            Assert.All(parts, part => Assert.True(FencesBalance(part.Text), $"Unbalanced fences in: {part.Text}"));
            AssertCutsFallBetweenGraphemes(text, parts);
        }

        // The generated code blocks are long enough that small limits must cut inside some of them.
        Assert.True(maxLength > 1_000 || reopened > 0, "No code block was cut: the generator missed its purpose.");
    }

    [Fact]
    public void AnUnclosedCodeBlockLosesNothing()
    {
        var text = "Start:\n```\n" + string.Join('\n', Enumerable.Repeat("echo step", 30));

        var parts = SlackTextSplitter.SplitParts(text, maxLength: 80);

        Assert.Equal(text, string.Concat(parts.Select(part => part.Body)));
        Assert.All(parts, part => Assert.InRange(part.Text.Length, 1, 80));
    }

    [Fact]
    public void ATooSmallLimitIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SlackTextSplitter.Split("text", maxLength: 3));
    }

    /// <summary>A Markdown-like answer: paragraphs, lists, code blocks long and short, emoji, long lines.</summary>
    internal static string RandomAnswer(Random random, int length)
    {
        string[] words =
            ["orders", "rows", "dbt", "model", "é", "naïve", Family, ThumbsUpMedium, Flag, "✅", "a&b", "<x>"];
        var text = new StringBuilder();
        while (text.Length < length)
        {
            switch (random.Next(6))
            {
                case 0:
                    text.Append("```").Append(random.Next(2) == 0 ? "sql" : "").Append('\n');
                    for (var line = random.Next(1, 80); line > 0; line--)
                    {
                        text.Append(Sentence(random, words, random.Next(1, 15))).Append('\n');
                    }

                    text.Append("```\n\n");
                    break;
                case 1:
                    var word = words[random.Next(words.Length)];
                    text.Append(string.Concat(Enumerable.Repeat(word, random.Next(50, 400))));
                    text.Append("\n\n");
                    break;
                case 2:
                    for (var item = random.Next(1, 10); item > 0; item--)
                    {
                        text.Append("• ").Append(Sentence(random, words, random.Next(3, 20))).Append('\n');
                    }

                    text.Append('\n');
                    break;
                default:
                    text.Append(Sentence(random, words, random.Next(5, 120)));
                    text.Append(random.Next(3) == 0 ? "\n" : "\n\n");
                    break;
            }
        }

        return text.ToString();
    }

    private static string Sentence(Random random, string[] words, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));

    private static bool FencesBalance(string text) =>
        text.Split('\n').Count(line => CountFences(line) % 2 == 1) % 2 == 0;

    private static int CountFences(string line)
    {
        var count = 0;
        for (var index = line.IndexOf("```", StringComparison.Ordinal); index >= 0;
            index = line.IndexOf("```", index + 3, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static void AssertCutsFallBetweenGraphemes(string text, IReadOnlyList<SlackTextPart> parts)
    {
        var boundaries = StringInfo.ParseCombiningCharacters(text).ToHashSet();
        var position = 0;
        foreach (var part in parts.SkipLast(1))
        {
            position += part.Body.Length;
            Assert.Contains(position, boundaries);
        }
    }

    private static IEnumerable<string> Graphemes(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            yield return elements.GetTextElement();
        }
    }
}
