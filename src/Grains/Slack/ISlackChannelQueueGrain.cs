using Dagen.Grains.Delivery;
using Orleans.Concurrency;

namespace Dagen.Grains.Slack;

/// <summary>
/// What the bot has still to do in one Slack channel through one notification channel's bot token, keyed
/// <c>{channelId}/{slackChannel}</c> (see <see cref="SlackChannelQueueKey"/>). Messages go out in the order
/// they were queued, about one per second; a reaction goes ahead of messages still waiting, so the :eyes: on a
/// new mention does not wait behind a long answer. The queue is persisted; enqueuing returns once it is saved.
/// </summary>
[Alias("dagen.slack.channel-queue")]
public interface ISlackChannelQueueGrain : IGrainWithStringKey
{
    /// <summary>Queues messages for a thread, in this order. Each text must already be within Slack's limits.</summary>
    [Alias("enqueue-messages"), AlwaysInterleave]
    Task EnqueueMessagesAsync(string threadTs, IReadOnlyList<string> texts);

    /// <summary>Queues a reaction (an emoji name without colons) on a message.</summary>
    [Alias("enqueue-reaction"), AlwaysInterleave]
    Task EnqueueReactionAsync(string messageTs, string emoji);

    [Alias("status"), AlwaysInterleave]
    Task<SendQueueStatus> GetStatusAsync();
}

/// <summary>The key of a <see cref="ISlackChannelQueueGrain"/>: notification channel and Slack channel.</summary>
public static class SlackChannelQueueKey
{
    public static string For(string channelId, string slackChannel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(slackChannel);
        if (slackChannel.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{slackChannel}' is not a Slack channel id.", nameof(slackChannel));
        }

        return $"{channelId}/{slackChannel}";
    }

    public static (string ChannelId, string SlackChannel) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a key of the form channelId/slackChannel.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
