namespace Dagen.Grains.Delivery;

/// <summary>What a sending queue holds and when it sends next; for operators and tests.</summary>
[GenerateSerializer, Immutable, Alias("dagen.delivery.send-queue-status")]
public sealed record SendQueueStatus
{
    /// <summary>Calls waiting to go out, the one being tried included.</summary>
    [Id(0)] public int Queued { get; init; }

    /// <summary>When the next attempt is due, or null when nothing is scheduled.</summary>
    [Id(1)] public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>True while an HTTP attempt is under way.</summary>
    [Id(2)] public bool Sending { get; init; }

    /// <summary>Calls Slack accepted since the queue was created.</summary>
    [Id(3)] public long Sent { get; init; }

    /// <summary>Calls given up (refused by Slack, or still failing after the last try), each one logged.</summary>
    [Id(4)] public long GivenUp { get; init; }
}
