using Dagen.Grains.Sessions;
using Dagen.Grains.Slack;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Takes mentions for the test clusters while the silo has no session grain of its own. Once
/// <c>SlackUserSessionGrain</c> exists, Orleans picks that one by its name and this class goes unused.
/// </summary>
public sealed class StandInSlackUserSessionGrain : Grain, ISlackUserSessionGrain
{
    private readonly List<SlackMention> _mentions = [];

    public Task ReceiveMentionAsync(SlackMention mention)
    {
        _mentions.Add(mention);
        return Task.CompletedTask;
    }

    public Task ResetAsync()
    {
        _mentions.Clear();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ConversationTurn>> GetHistoryAsync() =>
        Task.FromResult<IReadOnlyList<ConversationTurn>>(
            [.. _mentions.Select(m => new ConversationTurn(ConversationRole.User, m.Text, m.EventTime))]);
}
