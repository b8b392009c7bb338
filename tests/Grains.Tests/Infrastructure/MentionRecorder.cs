using System.Collections.Concurrent;
using Dagen.Grains.Sessions;
using Dagen.Grains.Slack;
using Orleans.Serialization.Invocation;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Takes the calls silo code makes to <see cref="ISlackUserSessionGrain.ReceiveMentionAsync"/> in place of the
/// session grain, and records each mention, so the hand-off from the dedup grain is tested on its own (what a
/// session then does is the session grain's tests' concern). Tests can make the next calls for a session fail,
/// as an unavailable session grain would.
/// </summary>
public sealed class MentionRecorder : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SlackMention>> _taken = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();

    /// <summary>The mentions of this event that a session grain took.</summary>
    public IReadOnlyList<SlackMention> TakenFor(string eventId) =>
        _taken.TryGetValue(eventId, out var queue) ? [.. queue] : [];

    /// <summary>
    /// Waits (bounded) until a session grain took a mention of this event, as the hand-off follows the
    /// acknowledgement, and returns what was taken by then.
    /// </summary>
    public Task<IReadOnlyList<SlackMention>> WaitForAsync(string eventId) =>
        Eventually.Get(() => Task.FromResult(TakenFor(eventId)), taken => taken.Count > 0, TimeSpan.FromSeconds(20));

    /// <summary>Makes the next <paramref name="count"/> hand-offs to this session fail.</summary>
    public void FailNext(string sessionKey, int count) => _failures[sessionKey] = count;

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.Name != nameof(ISlackUserSessionGrain.ReceiveMentionAsync)
            || context.Request.GetArgument(0) is not SlackMention mention)
        {
            await context.Invoke();
            return;
        }

        if (_failures.TryGetValue(mention.SessionKey, out var left) && left > 0)
        {
            _failures[mention.SessionKey] = left - 1;
            throw new InvalidOperationException($"Session {mention.SessionKey} is unavailable (test).");
        }

        // Not passed on: the session grain and what it calls (Slack, Dagen, agents) are not part of these tests.
        _taken.GetOrAdd(mention.EventId, _ => new ConcurrentQueue<SlackMention>()).Enqueue(mention);
        context.Response = Response.Completed;
    }
}
