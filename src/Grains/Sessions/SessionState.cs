using Dagen.Grains.Slack;

namespace Dagen.Grains.Sessions;

/// <summary>What a Slack user's session grain stores (state name <c>slack-user-session</c>).</summary>
[GenerateSerializer, Alias("dagen.sessions.state")]
internal sealed class SessionState
{
    /// <summary>The conversation with the Super Agent, oldest turn first, within the configured bounds.</summary>
    [Id(0)] public List<ConversationTurn> History { get; set; } = [];

    /// <summary>
    /// Mentions waiting for an answer, in the order they were written. A read-only one (help, list, status)
    /// stays here while it is answered, so after a restart it is simply answered again.
    /// </summary>
    [Id(1)] public List<SlackMention> Pending { get; set; } = [];

    /// <summary>The mention being answered; still set after a restart means the answer may not have gone out.</summary>
    [Id(2)] public SlackMention? InProgress { get; set; }

    /// <summary>Event ids of the last answered mentions, so that a copy of one is not answered again.</summary>
    [Id(3)] public List<string> RecentEventIds { get; set; } = [];

    /// <summary>Counts resets, so that an answer on its way during a reset stays out of the new history.</summary>
    [Id(4)] public int Generation { get; set; }

    /// <summary>
    /// The mention with its collections as plain lists. JSON grain storage (ADO.NET) records each value's
    /// concrete type, and only well-known types may be read back: a list made by a collection expression
    /// elsewhere would be stored but could never be loaded again.
    /// </summary>
    public static SlackMention Storable(SlackMention mention) =>
        mention with { BotUserIds = mention.BotUserIds.ToList() };
}
