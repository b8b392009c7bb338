using System.Text.Json.Serialization;

namespace Dagen.StandIns.Slack;

/// <summary>Who or what put a message into the channel.</summary>
public enum MessageSource
{
    /// <summary>A person (or another app's bot) speaking through the page or <c>say</c>.</summary>
    User,

    /// <summary>The Dagen bot, through <c>chat.postMessage</c>.</summary>
    Bot,

    /// <summary>A notification that arrived through the Incoming Webhook.</summary>
    Webhook,

    /// <summary>Something Slack itself shows, such as the bot joining the channel.</summary>
    System,
}

/// <summary>A reaction on a message and who added it.</summary>
public sealed record RecordedReaction(string Name, IReadOnlyList<string> UserIds);

/// <summary>
/// A message of the channel as the stand-in recorded it. Text is as Slack stores it: escaped mrkdwn.
/// </summary>
public sealed record RecordedMessage
{
    public required string Ts { get; init; }

    /// <summary>The thread's parent ts when the message is a reply, else null.</summary>
    public string? ThreadTs { get; init; }

    public required string UserId { get; init; }

    public string? BotId { get; init; }

    public required string Text { get; init; }

    public required MessageSource Source { get; init; }

    /// <summary>The <c>blocks</c> the message was posted with, as JSON text, or null.</summary>
    public string? Blocks { get; init; }

    public IReadOnlyList<RecordedReaction> Reactions { get; init; } = [];

    public DateTimeOffset PostedAt { get; init; }

    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>The <c>event_id</c> of the app_mention this message produced, if it produced one.</summary>
    public string? EventId { get; init; }

    /// <summary>Why no event went to the gateway for this message although it mentions the bot, or null.</summary>
    public string? EventNote { get; init; }

    /// <summary>
    /// What Slack would show differently from what the sender probably meant, such as <c>&lt;question&gt;</c>
    /// left unescaped in mrkdwn. Slack accepts such messages; the stand-in points them out.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool IsReply => ThreadTs is not null && ThreadTs != Ts;

    public bool HasReaction(string name, string? userId = null) =>
        Reactions.Any(r => r.Name == name && (userId is null || r.UserIds.Contains(userId)));
}

/// <summary>One attempt to send an event to the gateway, and how the gateway answered.</summary>
public sealed record EventDeliveryRecord
{
    public required string EventId { get; init; }

    /// <summary><c>app_mention</c> or <c>url_verification</c>.</summary>
    public required string EventType { get; init; }

    /// <summary>0 for the first attempt, then Slack's <c>X-Slack-Retry-Num</c>.</summary>
    public required int RetryNum { get; init; }

    public string? RetryReason { get; init; }

    /// <summary>The gateway's HTTP status, or null when it did not answer in time or could not be reached.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why the attempt failed, or null when the gateway answered 2xx.</summary>
    public string? Failure { get; init; }

    /// <summary>True when the gateway answered with <c>X-Slack-No-Retry: 1</c>.</summary>
    public bool NoRetry { get; init; }

    /// <summary>When the attempt was sent and signed (its <c>X-Slack-Request-Timestamp</c>).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>How long the gateway took to answer, on the real clock.</summary>
    public TimeSpan Elapsed { get; init; }

    public bool Succeeded => Failure is null;
}

/// <summary>A Web API or webhook call the product made, with its outcome. Tokens are never recorded.</summary>
public sealed record RecordedApiCall(
    string Method, bool Ok, string? Error, string? Channel, DateTimeOffset At);

/// <summary>The app's settings as a person would see them on api.slack.com, for the stand-in's app.</summary>
public sealed record AppSettingsView(
    Uri? EventsUrl, bool? EventsUrlVerified, string? VerificationDetail, bool BotInChannel,
    IReadOnlyList<string> BotScopes, Uri WebhookUrl);

/// <summary>Everything the local workspace recorded at one moment, for tests and the page.</summary>
public sealed record WorkspaceSnapshot
{
    /// <summary>Grows with every change; the page and tests wait on it.</summary>
    public required long Version { get; init; }

    public string TeamId { get; init; } = LocalWorkspace.TeamId;

    public string ChannelId { get; init; } = LocalWorkspace.ChannelId;

    public string ChannelName { get; init; } = LocalWorkspace.ChannelName;

    public IReadOnlyList<LocalUser> Users { get; init; } = LocalWorkspace.Members;

    public required AppSettingsView App { get; init; }

    /// <summary>Every message, top-level and replies, in the order they were posted.</summary>
    public required IReadOnlyList<RecordedMessage> Messages { get; init; }

    public required IReadOnlyList<EventDeliveryRecord> Deliveries { get; init; }

    public required IReadOnlyList<RecordedApiCall> ApiCalls { get; init; }

    [JsonIgnore]
    public IEnumerable<RecordedMessage> TopLevel => Messages.Where(m => !m.IsReply);

    /// <summary>The replies in the thread of <paramref name="parentTs"/>, oldest first.</summary>
    public IReadOnlyList<RecordedMessage> RepliesTo(string parentTs) =>
        [.. Messages.Where(m => m.IsReply && m.ThreadTs == parentTs)];

    public RecordedMessage? Find(string ts) => Messages.FirstOrDefault(m => m.Ts == ts);

    public IReadOnlyList<EventDeliveryRecord> DeliveriesOf(string eventId) =>
        [.. Deliveries.Where(d => d.EventId == eventId)];
}
