using Dagen.Grains.Slack;

namespace Dagen.Grains.Tests.Slack;

public sealed class MrkdwnConverterTests
{
    [Theory]
    [InlineData("**bold**", "*bold*")]
    [InlineData("__bold__", "*bold*")]
    [InlineData("*italic*", "_italic_")]
    [InlineData("_italic_", "_italic_")]
    [InlineData("~~strike~~", "~strike~")]
    [InlineData("***both***", "_*both*_")]
    [InlineData("**bold with _italic_ inside**", "*bold with _italic_ inside*")]
    [InlineData("plain my_model name", "plain my_model name")]
    public void EmphasisBecomesSlackMarks(string markdown, string mrkdwn)
    {
        Assert.Equal(mrkdwn, MrkdwnConverter.FromMarkdown(markdown));
    }

    [Theory]
    [InlineData(
        "[the docs](https://dagen.example.com/docs)", "<https://dagen.example.com/docs|the docs> (dagen.example.com)")]
    [InlineData("[q](https://x.example.com/a?b=1&c=2)", "<https://x.example.com/a?b=1&c=2|q> (x.example.com)")]
    [InlineData("[**bold** label](https://x.example.com)", "<https://x.example.com|bold label> (x.example.com)")]
    [InlineData("[a <b>](https://x.example.com/p|q)", "<https://x.example.com/p%7Cq|a &lt;b&gt;> (x.example.com)")]
    [InlineData("<https://x.example.com/run/42>", "<https://x.example.com/run/42>")]
    [InlineData("<ops@example.com>", "<mailto:ops@example.com|ops@example.com>")]
    [InlineData("[Reset your password](https://evil.example/login)",
        "<https://evil.example/login|Reset your password> (evil.example)")]
    [InlineData("[dagen.example.com](https://dagen.example.com/a)", "<https://dagen.example.com/a|dagen.example.com>")]
    [InlineData("![chart](https://x.example.com/c.png)", "<https://x.example.com/c.png|chart> (x.example.com)")]
    [InlineData("[docs](/docs/start)", "docs (/docs/start)")]
    public void LinksBecomeSlackLinks(string markdown, string mrkdwn)
    {
        Assert.Equal(mrkdwn, MrkdwnConverter.FromMarkdown(markdown));
    }

    [Theory]
    [InlineData("# Daily Sync", "*Daily Sync*")]
    [InlineData("### Rows **per** table", "*Rows per table*")]
    [InlineData("Results\n=======", "*Results*")]
    public void HeadingsBecomeBoldLines(string markdown, string mrkdwn)
    {
        Assert.Equal(mrkdwn, MrkdwnConverter.FromMarkdown(markdown));
    }

    [Fact]
    public void BulletListsUseBulletsAndNestedListsAreIndented()
    {
        var markdown = "- orders (1.2M rows)\n- customers\n  - active\n  * churned\n- products";

        var mrkdwn = MrkdwnConverter.FromMarkdown(markdown);

        Assert.Equal("• orders (1.2M rows)\n• customers\n   ◦ active\n   ◦ churned\n• products", mrkdwn);
    }

    [Fact]
    public void OrderedListsKeepTheirNumbers()
    {
        Assert.Equal("3. compile\n4. run", MrkdwnConverter.FromMarkdown("3. compile\n4. run"));
    }

    [Fact]
    public void CodeSpansAreKeptAsWrittenWithOnlyControlCharactersEscaped()
    {
        var mrkdwn = MrkdwnConverter.FromMarkdown("Run `dbt run --select **my_model** && echo <ok>` now");

        Assert.Equal("Run `dbt run --select **my_model** &amp;&amp; echo &lt;ok&gt;` now", mrkdwn);
    }

    [Fact]
    public void CodeBlocksAreKeptAsWrittenWithoutTheLanguage()
    {
        var markdown = "Query:\n\n```sql\nSELECT *  FROM t\nWHERE a < 1 AND name = '**x**'\n  -- _note_\n```\n\nDone.";

        var mrkdwn = MrkdwnConverter.FromMarkdown(markdown);

        Assert.Equal(
            "Query:\n\n```\nSELECT *  FROM t\nWHERE a &lt; 1 AND name = '**x**'\n  -- _note_\n```\n\nDone.", mrkdwn);
    }

    [Fact]
    public void ACodeBlockInAListKeepsItsLines()
    {
        var markdown = "- step one:\n\n  ```\n  make build\n  ```\n- step two";

        var mrkdwn = MrkdwnConverter.FromMarkdown(markdown);

        Assert.Equal("• step one:\n```\nmake build\n```\n• step two", mrkdwn);
    }

    [Fact]
    public void OnlyAmpersandAndAngleBracketsAreEscaped()
    {
        Assert.Equal(
            "Revenue &gt; 5 &amp; cost &lt; 3 — \"quoted\" 'single' 100%",
            MrkdwnConverter.FromMarkdown("Revenue > 5 & cost < 3 — \"quoted\" 'single' 100%"));
    }

    [Fact]
    public void ParagraphsQuotesAndLineBreaksAreKept()
    {
        var markdown = "First line\nsecond line\n\n> quoted **text**\n> more\n\n---\n\nEnd";

        var mrkdwn = MrkdwnConverter.FromMarkdown(markdown);

        Assert.Equal(
            "First line\nsecond line\n\n> quoted *text*\n> more\n\n──────────\n\nEnd", mrkdwn);
    }

    [Fact]
    public void EmojiAndOtherScriptsPassThrough()
    {
        const string Text = "✅ 1 model passed 👨‍👩‍👧 日本語";

        Assert.Equal(Text, MrkdwnConverter.FromMarkdown(Text));
    }

    [Fact]
    public void EmptyMarkdownGivesEmptyText()
    {
        Assert.Equal("", MrkdwnConverter.FromMarkdown(""));
        Assert.Equal("", MrkdwnConverter.FromMarkdown("  \n\n "));
    }

    [Fact]
    public void MarkdownThatRendersToNothingIsShownAsWritten()
    {
        const string definition = "[docs]: https://x.example.com/docs";

        Assert.Equal(definition, MrkdwnConverter.FromMarkdown(definition));
    }

    [Fact]
    public void HtmlIsShownAsTextNotInterpreted()
    {
        Assert.Equal("a &lt;b&gt;tag&lt;/b&gt; here", MrkdwnConverter.FromMarkdown("a <b>tag</b> here"));
    }
}
