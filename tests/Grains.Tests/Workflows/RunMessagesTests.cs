using Dagen.Grains.Workflows;

namespace Dagen.Grains.Tests.Workflows;

public sealed class RunMessagesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SuccessReadsAsInTheUserGuide() =>
        Assert.Equal("✅ Workflow finished — success (42s)",
            RunMessages.Finished("success", Start, Start.AddSeconds(42), null));

    [Fact]
    public void FailureCarriesItsErrorOnTheNextLine() =>
        Assert.Equal("❌ Workflow finished — failed (18s)\nError: Connection timeout on BigQuery node",
            RunMessages.Finished("failed", Start, Start.AddSeconds(18), "Connection timeout on BigQuery node"));

    [Fact]
    public void CancellationHasItsOwnMessage() =>
        Assert.Equal("🚫 Workflow finished — cancelled (1m 5s)",
            RunMessages.Finished("cancelled", Start, Start.AddSeconds(65), null));

    [Fact]
    public void WithoutBothTimesTheDurationIsLeftOut() =>
        Assert.Equal("✅ Workflow finished — success", RunMessages.Finished("success", Start, null, null));

    [Fact]
    public void AnErrorIsEscapedForMrkdwn() =>
        Assert.EndsWith("Error: rows &lt; 0 &amp; more",
            RunMessages.Finished("failed", Start, Start.AddSeconds(1), "rows < 0 & more"));

    [Fact]
    public void TheTriggerConfirmationShowsEightCharactersOfTheRunId() =>
        Assert.Equal("Workflow \"Daily Sync\" triggered (run a3f2b1c9…). I'll update you when it completes.",
            RunMessages.Triggered("Daily Sync", "a3f2b1c9d8e7f6a5"));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(42.4, "42s")]
    [InlineData(59.6, "1m 0s")]
    [InlineData(3_725, "1h 2m")]
    [InlineData(93_600, "1d 2h")]
    public void DurationsReadShort(double seconds, string expected) =>
        Assert.Equal(expected, RunMessages.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void PollingBacksOffForLongRunsAndWhileDagenFails()
    {
        var options = new WorkflowRunOptions
        {
            PollInterval = TimeSpan.FromSeconds(5),
            SlowPollAfter = TimeSpan.FromMinutes(2),
            MaxPollInterval = TimeSpan.FromMinutes(1),
        };

        Assert.Equal(TimeSpan.FromSeconds(5), options.NextPoll(TimeSpan.FromSeconds(30), 0));
        Assert.Equal(TimeSpan.FromSeconds(10), options.NextPoll(TimeSpan.FromMinutes(2), 0));
        Assert.Equal(TimeSpan.FromSeconds(20), options.NextPoll(TimeSpan.FromMinutes(5), 0));
        Assert.Equal(TimeSpan.FromMinutes(1), options.NextPoll(TimeSpan.FromHours(3), 0));
        Assert.Equal(TimeSpan.FromSeconds(10), options.NextPoll(TimeSpan.FromSeconds(10), 1));
        Assert.Equal(TimeSpan.FromSeconds(40), options.NextPoll(TimeSpan.FromSeconds(10), 3));
        Assert.Equal(TimeSpan.FromMinutes(1), options.NextPoll(TimeSpan.FromSeconds(10), 40));
    }
}
