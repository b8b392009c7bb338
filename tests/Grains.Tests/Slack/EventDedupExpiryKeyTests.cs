using Dagen.Grains.Slack;

namespace Dagen.Grains.Tests.Slack;

public sealed class EventDedupExpiryKeyTests
{
    [Fact]
    public void AnEventFallsInTheBucketOfTheMinuteItWasFirstSeenWhichEndsAtTheNextMinute()
    {
        var seen = new DateTimeOffset(2026, 12, 4, 18, 30, 59, TimeSpan.FromHours(2));

        var key = EventDedupExpiryKey.For(seen, "Ev0EXAMPLE01");

        Assert.StartsWith("20261204T1630/", key, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 16, 31, 0, TimeSpan.Zero), EventDedupExpiryKey.EndOf(key));
    }

    [Fact]
    public void TheSameEventAlwaysGetsTheSameShardAndManyEventsUseEveryShard()
    {
        var seen = new DateTimeOffset(2026, 12, 4, 18, 30, 0, TimeSpan.Zero);
        var keys = Enumerable.Range(0, 400).Select(i => EventDedupExpiryKey.For(seen, $"Ev0{i:D9}")).ToList();

        Assert.Equal(keys, Enumerable.Range(0, 400).Select(i => EventDedupExpiryKey.For(seen, $"Ev0{i:D9}")));
        Assert.Equal(EventDedupExpiryKey.Shards, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("20261204T1630")]
    [InlineData("yesterday/3")]
    public void AKeyThatIsNotABucketIsRefusedWithAnExample(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => EventDedupExpiryKey.EndOf(key));

        Assert.Contains("20261204T1830/3", error.Message, StringComparison.Ordinal);
    }
}
