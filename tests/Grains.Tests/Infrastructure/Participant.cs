using System.Globalization;
using Dagen.Grains.Slack;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// A made-up Slack user in a workspace and conversation of their own, so that each test works on its own
/// session grain, Slack conversation and threads.
/// </summary>
public sealed class Participant
{
    public const string BotUserId = "U0DAGENBOT";

    // Shared by every participant: a timestamp names a message, and a thread, across the whole test run.
    private static long _nextMicros = 100;

    private Participant(string suffix)
    {
        TeamId = $"T0{suffix}";
        UserId = $"U0ALICE{suffix}";
        SlackChannel = $"C0{suffix}";
        ChannelId = $"channel-{suffix.ToLowerInvariant()}";
    }

    public string TeamId { get; }

    public string UserId { get; }

    public string SlackChannel { get; }

    public string ChannelId { get; }

    /// <summary>The <c>user</c> field the agents see: <c>team:user</c>.</summary>
    public string AgentUser => $"{TeamId}:{UserId}";

    public static Participant New() => new(Guid.NewGuid().ToString("N")[..10].ToUpperInvariant());

    /// <summary>A fresh message timestamp, later than every one before it and used by no other test.</summary>
    public static string NextTs() =>
        string.Create(CultureInfo.InvariantCulture, $"1764579600.{Interlocked.Add(ref _nextMicros, 100):D6}");

    /// <summary>An <c>app_mention</c> that starts with the bot's mention, as Slack sends it.</summary>
    public SlackMention Mention(string text, string? ts = null, string? threadTs = null) => new()
    {
        EventId = $"Ev{Guid.NewGuid():N}",
        ChannelId = ChannelId,
        TeamId = TeamId,
        UserId = UserId,
        SlackChannel = SlackChannel,
        Ts = ts ?? NextTs(),
        ThreadTs = threadTs,
        Text = $"<@{BotUserId}> {text}",
        BotUserIds = [BotUserId],
        EventTime = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
    };
}
