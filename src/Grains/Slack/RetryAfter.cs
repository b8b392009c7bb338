namespace Dagen.Grains.Slack;

/// <summary>Reads how long Slack asked a client to wait after a 429.</summary>
internal static class RetryAfter
{
    /// <summary>No wait Slack names is taken longer than this; a larger value is read as a mistake.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    /// <summary>The <c>Retry-After</c> header as seconds or as a date, or null when absent or unreadable.</summary>
    public static TimeSpan? Read(HttpResponseMessage response, TimeProvider clock)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - clock.GetUtcNow() : null);
        return wait is { } value ? Clamp(value) : null;
    }

    /// <summary>A <c>retry_after</c> given in seconds, as in the body of some of Slack's answers.</summary>
    public static TimeSpan? FromSeconds(double? seconds) =>
        seconds is { } value && double.IsFinite(value) ? Clamp(TimeSpan.FromSeconds(Math.Min(value, 3_600))) : null;

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : (wait > Longest ? Longest : wait);
}
