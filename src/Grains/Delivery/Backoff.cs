using Dagen.Grains.Slack;

namespace Dagen.Grains.Delivery;

/// <summary>How long a queue waits before its next attempt, from Slack's answer and the options.</summary>
internal static class Backoff
{
    /// <summary>After a failure: the base delay doubled per earlier failure, capped, never under the pace.</summary>
    public static TimeSpan AfterFailure(int failedAttempts, SlackOptions options)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 20);
        var delay = options.RetryBaseDelay * Math.Pow(2, exponent);
        var capped = delay > options.RetryMaxDelay ? options.RetryMaxDelay : delay;
        return capped < options.MessageInterval ? options.MessageInterval : capped;
    }

    /// <summary>After a 429: what Slack asked for, else the default, never under the pace.</summary>
    public static TimeSpan AfterRateLimit(TimeSpan? retryAfter, SlackOptions options)
    {
        var wait = retryAfter ?? options.DefaultRetryAfter;
        return wait < options.MessageInterval ? options.MessageInterval : wait;
    }
}
