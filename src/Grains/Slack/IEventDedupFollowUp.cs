using Orleans.Concurrency;

namespace Dagen.Grains.Slack;

/// <summary>
/// The part of an event's dedup grain that runs after the first copy has been acknowledged: a message the grain
/// sends itself, so the work is queued behind the call that claimed the event.
/// </summary>
[Alias("dagen.slack.event-dedup-follow-up")]
internal interface IEventDedupFollowUp : IGrainWithStringKey
{
    /// <summary>Registers the expiry reminder and hands the mention on.</summary>
    [OneWay, Alias("follow-up")]
    Task FollowUpAsync();
}
