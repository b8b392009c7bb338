using Dagen.Grains.Slack;

namespace Dagen.Grains.Sessions;

/// <summary>
/// One per Slack user, keyed <c>team:user</c>. Answers that user's mentions in the order they were sent
/// and keeps the user's conversation with the Super Agent across messages.
/// </summary>
[Alias("dagen.sessions.slack-user-session")]
public interface ISlackUserSessionGrain : IGrainWithStringKey
{
    /// <summary>Queues a mention for an answer. Returns once it is queued, not once it is answered.</summary>
    [Alias("receive-mention")]
    Task ReceiveMentionAsync(SlackMention mention);

    /// <summary>Forgets the conversation so that the next question starts a fresh one.</summary>
    [Alias("reset")]
    Task ResetAsync();

    /// <summary>The conversation kept for the Super Agent, oldest turn first.</summary>
    [Alias("history")]
    Task<IReadOnlyList<ConversationTurn>> GetHistoryAsync();
}
