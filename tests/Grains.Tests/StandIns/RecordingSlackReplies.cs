using System.Collections.Concurrent;
using Dagen.Grains.Slack;

namespace Dagen.Grains.Tests.StandIns;

/// <summary>An in-memory <see cref="ISlackReplies"/> that records what the bot would do in Slack, in order.</summary>
public sealed class RecordingSlackReplies : ISlackReplies
{
    private readonly ConcurrentQueue<SlackAction> _actions = new();

    public IReadOnlyList<SlackAction> Actions => _actions.ToList();

    public Task ReactAsync(SlackMessageRef message, string emoji)
    {
        _actions.Enqueue(new SlackAction(SlackActionKind.Reaction, message.SlackChannel, message.Ts, emoji));
        return Task.CompletedTask;
    }

    public Task PostAsync(SlackThreadRef thread, string mrkdwn)
    {
        _actions.Enqueue(new SlackAction(SlackActionKind.Post, thread.SlackChannel, thread.ThreadTs, mrkdwn));
        return Task.CompletedTask;
    }

    /// <summary>Everything done in one Slack conversation, in order.</summary>
    public IReadOnlyList<SlackAction> In(string slackChannel) =>
        Actions.Where(a => a.SlackChannel == slackChannel).ToList();

    /// <summary>The texts posted into one thread, in order.</summary>
    public IReadOnlyList<string> PostsIn(string slackChannel, string threadTs) =>
        Actions.Where(a => a.Kind == SlackActionKind.Post && a.SlackChannel == slackChannel && a.Ts == threadTs)
            .Select(a => a.Text)
            .ToList();

    /// <summary>Waits (bounded, real time) until <paramref name="condition"/> holds for the recorded actions.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<SlackAction>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition(Actions))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what}. Recorded: "
                    + string.Join(" | ", Actions.Select(a => $"{a.Kind} {a.SlackChannel}/{a.Ts}: {a.Text}")));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> posts are in the thread, and returns them.</summary>
    public async Task<IReadOnlyList<string>> WaitForPostsAsync(string slackChannel, string threadTs, int count)
    {
        await WaitUntilAsync(_ => PostsIn(slackChannel, threadTs).Count >= count, $"{count} posts in {threadTs}");
        return PostsIn(slackChannel, threadTs);
    }
}

public enum SlackActionKind
{
    Reaction,
    Post,
}

/// <summary>A reaction (<see cref="Ts"/> is the message) or a post (<see cref="Ts"/> is the thread).</summary>
public sealed record SlackAction(SlackActionKind Kind, string SlackChannel, string Ts, string Text);
