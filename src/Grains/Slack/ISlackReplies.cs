namespace Dagen.Grains.Slack;

/// <summary>
/// What the bot says and does in Slack. Calls return once the work is queued for the Slack channel, never
/// after waiting on Slack: delivery is paced per channel, in order, with Slack's rate limits honoured.
/// </summary>
public interface ISlackReplies
{
    /// <summary>Adds a reaction (an emoji name such as <c>eyes</c>) to a message.</summary>
    Task ReactAsync(SlackMessageRef message, string emoji);

    /// <summary>Posts mrkdwn text into a thread, split under Slack's limits when it is long.</summary>
    Task PostAsync(SlackThreadRef thread, string mrkdwn);
}

/// <summary>A Slack message, reached through one notification channel's bot token.</summary>
[GenerateSerializer, Immutable, Alias("dagen.slack.message-ref")]
public sealed record SlackMessageRef(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] string TeamId,
    [property: Id(2)] string SlackChannel,
    [property: Id(3)] string Ts);

/// <summary>A Slack thread that replies go into, reached through one notification channel's bot token.</summary>
[GenerateSerializer, Immutable, Alias("dagen.slack.thread-ref")]
public sealed record SlackThreadRef(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] string TeamId,
    [property: Id(2)] string SlackChannel,
    [property: Id(3)] string ThreadTs)
{
    public static SlackThreadRef ReplyTo(SlackMention mention) =>
        new(mention.ChannelId, mention.TeamId, mention.SlackChannel, mention.ReplyThreadTs);
}
