using System.Collections.Concurrent;
using Dagen.Grains.Notifications;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Stands in for webhook delivery: records what the channel grain queued, in order, and delivers nothing.
/// </summary>
public sealed class RecordingWebhookNotifier : IWebhookNotifier
{
    private readonly ConcurrentQueue<(string ChannelId, string Id, Notification Notification)> _queued = new();

    public IReadOnlyList<(string Id, Notification Notification)> QueuedFor(string channelId) =>
        [.. _queued.Where(q => q.ChannelId == channelId).Select(q => (q.Id, q.Notification))];

    public Task<string> EnqueueAsync(string channelId, Notification notification)
    {
        var id = $"n-{Guid.NewGuid():N}";
        _queued.Enqueue((channelId, id, notification));
        return Task.FromResult(id);
    }
}
