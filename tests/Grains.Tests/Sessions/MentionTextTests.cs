using Dagen.Grains.Sessions;

namespace Dagen.Grains.Tests.Sessions;

public sealed class MentionTextTests
{
    private static readonly string[] Bot = ["U0DAGENBOT"];

    [Theory]
    [InlineData("<@U0DAGENBOT> run daily-sync", "run daily-sync")]
    [InlineData("run daily-sync <@U0DAGENBOT>", "run daily-sync")]
    [InlineData("please <@U0DAGENBOT> help", "please help")]
    [InlineData("<@U0DAGENBOT|dagen> status", "status")]
    [InlineData("<@U0DAGENBOT><@U0DAGENBOT> list", "list")]
    public void TheBotsOwnMentionIsRemovedWhereverItStands(string text, string expected) =>
        Assert.Equal(expected, MentionText.Clean(text, Bot));

    [Fact]
    public void OtherPeoplesMentionsAreKept() =>
        Assert.Equal("ask <@U0BOB> and <@W0CAROL|carol> about it",
            MentionText.Clean("<@U0DAGENBOT> ask <@U0BOB> and <@W0CAROL|carol> about it", Bot));

    [Fact]
    public void WithoutTheBotsIdOnlyALeadingMentionIsRemoved()
    {
        Assert.Equal("tell <@U0BOB> hi", MentionText.Clean("<@U0SOMEBOT> tell <@U0BOB> hi", []));
        Assert.Equal("tell <@U0BOB> hi", MentionText.Clean("  <@U0SOMEBOT|dagen>   tell <@U0BOB> hi", []));
    }

    [Fact]
    public void SlacksEscapesAreDecodedOnce() =>
        Assert.Equal("a < b && c > d, literally &lt;",
            MentionText.Clean("<@U0DAGENBOT> a &lt; b &amp;&amp; c &gt; d, literally &amp;lt;", Bot));

    [Fact]
    public void WhiteSpaceIsNormalisedIncludingNonBreakingSpaces() =>
        Assert.Equal("run daily sync",
            MentionText.Clean("<@U0DAGENBOT>\u00A0run\u00A0\u00A0daily \t sync\u202F\u200B ", Bot));

    [Fact]
    public void LineBreaksSurviveButBlankRunsShrinkToOne() =>
        Assert.Equal("first line\nsecond line\n\nnew paragraph",
            MentionText.Clean("<@U0DAGENBOT> first line  \r\n  second line\n\n\n\n new paragraph\n", Bot));

    [Fact]
    public void NothingButTheMentionLeavesNothing() =>
        Assert.Equal("", MentionText.Clean("<@U0DAGENBOT> \u00A0", Bot));
}
