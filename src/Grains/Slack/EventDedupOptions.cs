using Microsoft.Extensions.Options;

namespace Dagen.Grains.Slack;

/// <summary>
/// The section <c>EventDedup</c>: how long the cluster remembers a Slack event and how it keeps handing a
/// mention on when the user's session grain cannot take it at once.
/// </summary>
public sealed class EventDedupOptions
{
    public const string SectionName = "EventDedup";

    /// <summary>Slack retries for about 5 minutes at most; a record must outlive that by a wide margin.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromHours(1);

    /// <summary><c>EventDedup:Retention</c>: how long a record is kept. Default 2 hours, at least 1 hour.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// <c>EventDedup:CheckPeriod</c>: how often an expiry bucket's reminder checks whether its records are due
    /// (so a record goes up to this much after <see cref="Retention"/>), and how often a record whose mention is
    /// still to be handed on tries again after a silo restart. Default 30 minutes; tests lower it.
    /// </summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary><c>EventDedup:HandOffAttempts</c>: tries to hand a mention to the session grain. Default 6.</summary>
    public int HandOffAttempts { get; set; } = 6;

    /// <summary>
    /// <c>EventDedup:HandOffRetryDelay</c>: wait before the second try; it doubles for each try after that.
    /// Default 5 seconds.
    /// </summary>
    public TimeSpan HandOffRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>EventDedup:HandOffTimeout</c>: how long one hand-off may take before it counts as failed and is tried
    /// again. Default 30 seconds: a busy session grain is usually slow rather than gone, and trying again too
    /// early only adds to its load.
    /// </summary>
    public TimeSpan HandOffTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class EventDedupOptionsValidator : IValidateOptions<EventDedupOptions>
{
    public ValidateOptionsResult Validate(string? name, EventDedupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Retention < EventDedupOptions.MinimumRetention)
        {
            failures.Add("EventDedup:Retention must be at least 01:00:00 so a record outlives Slack's retries; "
                + "remove the setting to use the default 02:00:00 (env EventDedup__Retention).");
        }

        if (options.CheckPeriod <= TimeSpan.Zero || options.CheckPeriod > options.Retention)
        {
            failures.Add("EventDedup:CheckPeriod must be positive and no longer than EventDedup:Retention; remove "
                + "it to use the default 00:30:00 (env EventDedup__CheckPeriod).");
        }

        if (options.HandOffAttempts is < 1 or > 20)
        {
            failures.Add("EventDedup:HandOffAttempts must be from 1 to 20; remove it to use the default 6.");
        }

        if (options.HandOffRetryDelay <= TimeSpan.Zero || options.HandOffTimeout <= TimeSpan.Zero)
        {
            failures.Add("EventDedup:HandOffRetryDelay and EventDedup:HandOffTimeout must be positive time spans "
                + "such as 00:00:05.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
