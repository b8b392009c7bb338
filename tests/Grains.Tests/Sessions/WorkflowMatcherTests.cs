using Dagen.Grains.Dagen;
using Dagen.Grains.Sessions;

namespace Dagen.Grains.Tests.Sessions;

public sealed class WorkflowMatcherTests
{
    private static readonly DagenWorkflow[] Catalogue =
    [
        new("1", "Daily Sync", "daily-sync", "active"),
        new("2", "Daily Report", "daily-report", "active"),
        new("3", "Orders", "orders", "active"),
        new("4", "Orders Backfill", "orders-backfill", "active"),
        new("5", "Monthly Close", "monthly-close", "paused"),
        new("6", "Weekly Load", "wk_load", "active"),
    ];

    [Theory]
    [InlineData("daily-sync", "1")]
    [InlineData("DAILY-SYNC", "1")]
    [InlineData("daily sync", "1")]
    [InlineData("Daily Report", "2")]
    [InlineData("wk load", "6")]
    public void AnExactNameOrSlugMatchesWhateverTheCase(string query, string id)
    {
        var match = WorkflowMatcher.Match(Catalogue, query);

        Assert.True(match.Exact);
        Assert.Equal(id, match.Single?.Id);
    }

    [Fact]
    public void AnExactMatchWinsOverPartialOnes()
    {
        var match = WorkflowMatcher.Match(Catalogue, "orders");

        Assert.True(match.Exact);
        Assert.Equal("3", match.Single?.Id);
    }

    [Theory]
    [InlineData("backfill", "4")]
    [InlineData("SYNC", "1")]
    [InlineData("weekly", "6")]
    public void OnePartialMatchIsTaken(string query, string id)
    {
        var match = WorkflowMatcher.Match(Catalogue, query);

        Assert.False(match.Exact);
        Assert.Equal(id, match.Single?.Id);
    }

    [Fact]
    public void SeveralPartialMatchesAreHandedBackToChooseFrom()
    {
        var match = WorkflowMatcher.Match(Catalogue, "daily");

        Assert.Null(match.Single);
        Assert.Equal(["2", "1"], match.Candidates.Select(w => w.Id));
    }

    [Theory]
    [InlineData("nightly")]
    [InlineData("monthly close")]
    [InlineData("   ")]
    public void NoActiveMatchGivesNothing(string query) =>
        Assert.Empty(WorkflowMatcher.Match(Catalogue, query).Candidates);
}
