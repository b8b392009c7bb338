using Dagen.Grains.Dagen;
using Dagen.Grains.Sessions;

namespace Dagen.Grains.Tests.Sessions;

/// <summary>
/// Slack reads <c>&lt;</c> and <c>&gt;</c> as the start and end of a link or mention, even inside code, so
/// every message the bot writes on its own spells them as entities.
/// </summary>
public sealed class BotMessagesTests
{
    public static TheoryData<string> OwnMessages() => new()
    {
        BotMessages.Help,
        BotMessages.RunUsage,
        BotMessages.AgentUsage(null),
        BotMessages.AgentUsage("dbt"),
        BotMessages.RecentRuns([], DateTimeOffset.UnixEpoch),
        BotMessages.NoMatch("<!channel> & co"),
        BotMessages.WhichOne("daily", [new DagenWorkflow("w1", "Daily <Sync>", "daily-sync", "active")]),
    };

    [Theory]
    [MemberData(nameof(OwnMessages))]
    public void NothingTheBotWritesOnItsOwnOpensAMentionOrALink(string message)
    {
        Assert.DoesNotContain('<', message);
        Assert.DoesNotContain('>', message);
    }

    [Fact]
    public void HelpShowsThePlaceholdersAsSlackWillDisplayThem()
    {
        Assert.Contains("`@dagen run &lt;workflow&gt;`", BotMessages.Help);
        Assert.Contains("`@dagen agent &lt;name&gt; &lt;question&gt;`", BotMessages.Help);
    }
}
