using Orleans.Concurrency;

namespace Dagen.Grains.Slack;

/// <summary>
/// The part of an event's dedup grain that runs after the first copy has been acknowledged: a message the grain
/// sends itself, so the work is queued behind the call that claimed the event.
/// </summary>
[Alias("dagen.slack.event-dedup-follow-up")]
internal interface IEventDedupFollowUp : IGrainWithStringKey
{
    /// <summary>Puts the event in its expiry bucket and hands the mention on.</summary>
    [OneWay, Alias("follow-up")]
    Task FollowUpAsync();

    /// <summary>Removes the record; called by the expiry bucket once the retention has passed.</summary>
    [Alias("expire")]
    Task ExpireAsync();
}
