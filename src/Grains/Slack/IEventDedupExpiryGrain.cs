using System.Globalization;
using Orleans.Concurrency;

namespace Dagen.Grains.Slack;

/// <summary>
/// The events first seen in one minute (one of <see cref="EventDedupExpiryKey.Shards"/> shards of it), removed
/// together once <see cref="EventDedupOptions.Retention"/> has passed for all of them: one reminder per bucket
/// instead of one per event.
/// </summary>
[Alias("dagen.slack.event-dedup-expiry")]
internal interface IEventDedupExpiryGrain : IGrainWithStringKey
{
    /// <summary>Adds an event to the bucket; it is removed when the bucket expires.</summary>
    [AlwaysInterleave, Alias("add")]
    Task AddAsync(string eventId);

    /// <summary>How many events the bucket still holds.</summary>
    [AlwaysInterleave, Alias("count")]
    Task<int> CountAsync();
}

/// <summary>The key of an <see cref="IEventDedupExpiryGrain"/>: <c>yyyyMMddTHHmm/shard</c>, in UTC.</summary>
internal static class EventDedupExpiryKey
{
    /// <summary>Buckets per minute, so that a busy minute is spread over several grains (and silos).</summary>
    public const int Shards = 8;

    private const string MinuteFormat = "yyyyMMdd'T'HHmm";

    public static string For(DateTimeOffset firstSeenAt, string eventId)
    {
        var shard = 0u;
        foreach (var character in eventId)
        {
            shard = unchecked((shard * 31) + character);
        }

        var minute = firstSeenAt.UtcDateTime.ToString(MinuteFormat, CultureInfo.InvariantCulture);
        return $"{minute}/{shard % Shards}";
    }

    /// <summary>The end of the bucket's minute: every event in it was first seen before then.</summary>
    public static DateTimeOffset EndOf(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        const DateTimeStyles Utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (slash < 0
            || !DateTime.TryParseExact(key[..slash], MinuteFormat, CultureInfo.InvariantCulture, Utc, out var minute))
        {
            throw new ArgumentException($"'{key}' is not an expiry bucket key such as 20261204T1830/3.", nameof(key));
        }

        return new DateTimeOffset(minute, TimeSpan.Zero).AddMinutes(1);
    }
}
