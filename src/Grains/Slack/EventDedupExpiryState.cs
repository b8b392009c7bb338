using Dagen.Grains.Delivery;

namespace Dagen.Grains.Slack;

/// <summary>What an expiry bucket stores in its own record; each event in it is a record of its own.</summary>
[GenerateSerializer, Alias("dagen.slack.event-dedup-expiry-state")]
internal sealed class EventDedupExpiryState
{
    [Id(0)] public QueuePosition Position { get; set; } = new();

    /// <summary>True once the bucket's reminder is registered.</summary>
    [Id(1)] public bool ReminderSet { get; set; }
}

/// <summary>One event waiting in an expiry bucket.</summary>
[GenerateSerializer, Alias("dagen.slack.expiring-event")]
internal sealed class ExpiringEvent : IQueueRecord
{
    [Id(0)] public long Sequence { get; set; }

    [Id(1)] public string EventId { get; set; } = "";
}
