using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Slack;

/// <summary>
/// <see cref="ISlackReplies"/> through the per-channel queues: a long text is split under Slack's limits here,
/// then all its parts are queued in one call, so nothing else can come between them.
/// </summary>
internal sealed partial class SlackReplies(IGrainFactory grains, ILogger<SlackReplies> logger) : ISlackReplies
{
    public Task ReactAsync(SlackMessageRef message, string emoji)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(emoji);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Ts);

        var name = emoji.Trim().Trim(':');
        if (name.Length == 0 || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"'{emoji}' is not an emoji name such as eyes.", nameof(emoji));
        }

        return Queue(message.ChannelId, message.SlackChannel).EnqueueReactionAsync(message.Ts, name);
    }

    public Task PostAsync(SlackThreadRef thread, string mrkdwn)
    {
        ArgumentNullException.ThrowIfNull(thread);
        ArgumentNullException.ThrowIfNull(mrkdwn);
        ArgumentException.ThrowIfNullOrWhiteSpace(thread.ThreadTs);

        // A part of nothing but white space would be refused by Slack and shows nothing anyway.
        var parts = SlackTextSplitter.Split(mrkdwn).Where(part => !string.IsNullOrWhiteSpace(part)).ToList();
        if (parts.Count == 0)
        {
            throw new ArgumentException("The reply is empty; there is nothing to post.", nameof(mrkdwn));
        }

        LogSplit(thread.ChannelId, thread.SlackChannel, mrkdwn.Length, parts.Count);
        return Queue(thread.ChannelId, thread.SlackChannel).EnqueueMessagesAsync(thread.ThreadTs, parts);
    }

    private ISlackChannelQueueGrain Queue(string channelId, string slackChannel) =>
        grains.GetGrain<ISlackChannelQueueGrain>(SlackChannelQueueKey.For(channelId, slackChannel));

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Channel {ChannelId}: reply to {SlackChannel} of {Length} characters queued as {Parts} messages")]
    private partial void LogSplit(string channelId, string slackChannel, int length, int parts);
}
