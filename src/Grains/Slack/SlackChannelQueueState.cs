using Dagen.Grains.Delivery;

namespace Dagen.Grains.Slack;

/// <summary>
/// What a Slack channel's queue stores in its own record: when the next call may start, counts, and where the
/// queued calls are. Each queued call is a record of its own (see <see cref="QueueRecords{TItem}"/>), so this one
/// stays small however long the queue grows.
/// </summary>
[GenerateSerializer, Alias("dagen.slack.channel-queue-state")]
internal sealed class SlackChannelQueueState
{
    /// <summary>Calls queued by an earlier version, which kept them all here; moved to records when read.</summary>
    [Id(0)] public List<SlackCall>? Reactions { get; set; }

    /// <summary>Calls queued by an earlier version, which kept them all here; moved to records when read.</summary>
    [Id(1)] public List<SlackCall>? Messages { get; set; }

    /// <summary>The earliest next call: one interval after the last, or later after a 429 or failure.</summary>
    [Id(2)] public DateTimeOffset NotBefore { get; set; }

    [Id(3)] public long Sent { get; set; }

    [Id(4)] public long GivenUp { get; set; }

    [Id(6)] public QueuePosition Position { get; set; } = new();
}

/// <summary>One queued call: a reply into a thread or a reaction on a message. No token is kept here.</summary>
[GenerateSerializer, Alias("dagen.slack.call")]
internal sealed class SlackCall : IQueueRecord
{
    [Id(0)] public long Sequence { get; set; }

    [Id(1)] public SlackCallKind Kind { get; set; }

    /// <summary>For a message the thread's <c>ts</c>; for a reaction the <c>ts</c> of the message reacted to.</summary>
    [Id(2)] public string Ts { get; set; } = "";

    /// <summary>For a message its mrkdwn text; for a reaction the emoji name.</summary>
    [Id(3)] public string Content { get; set; } = "";

    [Id(4)] public int FailedAttempts { get; set; }

    [Id(5)] public int RateLimitedAttempts { get; set; }

    [Id(6)] public DateTimeOffset QueuedAt { get; set; }
}

[GenerateSerializer, Alias("dagen.slack.call-kind")]
internal enum SlackCallKind
{
    Message = 0,
    Reaction = 1,
}
