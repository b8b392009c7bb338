namespace Dagen.Grains.Slack;

/// <summary>
/// An <c>app_mention</c> event as delivered by Slack's Events API through one notification channel's
/// Event Subscription URL. Text is as Slack sent it: still escaped and still holding the bot's mention.
/// </summary>
[GenerateSerializer, Immutable, Alias("dagen.slack.mention")]
public sealed record SlackMention
{
    /// <summary>Slack's unique id of this event delivery (<c>event_id</c>), the deduplication key.</summary>
    [Id(0)] public required string EventId { get; init; }

    /// <summary>The notification channel whose Event Subscription URL received the event.</summary>
    [Id(1)] public required string ChannelId { get; init; }

    /// <summary>The Slack workspace (<c>team_id</c>).</summary>
    [Id(2)] public required string TeamId { get; init; }

    /// <summary>The Slack user who wrote the mention.</summary>
    [Id(3)] public required string UserId { get; init; }

    /// <summary>The Slack conversation the mention was written in (<c>event.channel</c>).</summary>
    [Id(4)] public required string SlackChannel { get; init; }

    /// <summary>The message's own timestamp (<c>event.ts</c>), which identifies it.</summary>
    [Id(5)] public required string Ts { get; init; }

    /// <summary>The thread the mention was written in, when it was (<c>event.thread_ts</c>).</summary>
    [Id(6)] public string? ThreadTs { get; init; }

    /// <summary>The message text as Slack sent it.</summary>
    [Id(7)] public required string Text { get; init; }

    /// <summary>The bot's own user ids in this workspace (<c>authorizations[].user_id</c>), when known.</summary>
    [Id(8)] public IReadOnlyList<string> BotUserIds { get; init; } = [];

    /// <summary>When Slack says the event happened (<c>event_time</c>).</summary>
    [Id(9)] public DateTimeOffset EventTime { get; init; }

    /// <summary>Where replies go: the thread the mention was in, else a new thread on the mention itself.</summary>
    public string ReplyThreadTs => string.IsNullOrEmpty(ThreadTs) ? Ts : ThreadTs;

    /// <summary>The key of the Slack user's session grain: <c>team:user</c>.</summary>
    public string SessionKey => $"{TeamId}:{UserId}";
}
