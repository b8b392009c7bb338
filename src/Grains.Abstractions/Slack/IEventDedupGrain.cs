namespace Dagen.Grains.Slack;

/// <summary>
/// One per Slack <c>event_id</c>. The first delivery of an event that reaches any gateway is handed on for
/// handling; every later copy (Slack's retries, the same event through another pod) is not. The record is
/// persisted, so it holds across silo restarts, and removes itself once Slack can no longer retry.
/// </summary>
[Alias("dagen.slack.event-dedup")]
public interface IEventDedupGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands the mention on for handling when this is the first copy the cluster has seen, and answers
    /// whether it did. Returns as soon as the hand-off is recorded; the handling itself goes on afterwards.
    /// </summary>
    [Alias("handle-once")]
    Task<bool> HandleOnceAsync(SlackMention mention);
}
