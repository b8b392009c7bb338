namespace Dagen.Grains.Slack;

/// <summary>What an event's deduplication grain stores.</summary>
[GenerateSerializer, Alias("dagen.slack.event-dedup-state")]
internal sealed class EventDedupState
{
    /// <summary>True once a first copy arrived; every copy after that is not handed on.</summary>
    [Id(0)] public bool Claimed { get; set; }

    [Id(1)] public string ChannelId { get; set; } = "";

    [Id(2)] public DateTimeOffset FirstSeenAt { get; set; }

    [Id(3)] public int Copies { get; set; }

    /// <summary>The mention while it still has to be handed on; dropped once the session grain took it.</summary>
    [Id(4)] public SlackMention? Pending { get; set; }

    [Id(5)] public bool HandedOn { get; set; }

    [Id(6)] public int HandOffAttempts { get; set; }

    [Id(7)] public DateTimeOffset? LastCheckedAt { get; set; }

    /// <summary>True once the expiry reminder is registered.</summary>
    [Id(8)] public bool ExpiryScheduled { get; set; }
}
