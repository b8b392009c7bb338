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

    /// <summary>What is recorded about the event, for support and tests; null when nothing is (any more).</summary>
    [Alias("record")]
    Task<EventDedupRecord?> GetRecordAsync();
}

/// <summary>What the cluster remembers about one Slack event.</summary>
[GenerateSerializer, Immutable, Alias("dagen.slack.event-dedup-record")]
public sealed record EventDedupRecord
{
    [Id(0)] public required string EventId { get; init; }

    /// <summary>The notification channel the first copy came through.</summary>
    [Id(1)] public required string ChannelId { get; init; }

    /// <summary>When the first copy arrived.</summary>
    [Id(2)] public DateTimeOffset FirstSeenAt { get; init; }

    /// <summary>How many copies arrived, the first included.</summary>
    [Id(3)] public int Copies { get; init; }

    /// <summary>True once the user's session grain has taken the mention.</summary>
    [Id(4)] public bool HandedOn { get; init; }

    /// <summary>How many times handing the mention on was tried.</summary>
    [Id(5)] public int HandOffAttempts { get; init; }

    /// <summary>When the record was last checked for expiry, or null when it has not been yet.</summary>
    [Id(6)] public DateTimeOffset? LastCheckedAt { get; init; }

    /// <summary>When the record is removed at the earliest.</summary>
    [Id(7)] public DateTimeOffset ExpiresAt { get; init; }
}
