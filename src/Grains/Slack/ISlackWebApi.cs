namespace Dagen.Grains.Slack;

/// <summary>
/// The three Slack Web API methods the bot uses. Each call is one HTTP attempt bounded by
/// <see cref="SlackOptions.RequestTimeout"/>; retrying is the caller's business, so a grain can schedule the next
/// attempt instead of waiting for it. Slack's answers, errors included, come back as a
/// <see cref="SlackApiResult"/>; nothing is thrown except on cancellation. The bot token is passed with each
/// call and kept nowhere.
/// </summary>
public interface ISlackWebApi
{
    /// <summary><c>reactions.add</c>: a reaction that is already there counts as success.</summary>
    Task<SlackApiResult> AddReactionAsync(
        string botToken,
        string slackChannel,
        string messageTs,
        string emoji,
        CancellationToken cancellationToken = default);

    /// <summary><c>chat.postMessage</c>, into a thread when <paramref name="threadTs"/> is given.</summary>
    Task<SlackApiResult> PostMessageAsync(
        string botToken,
        string slackChannel,
        string mrkdwn,
        string? threadTs,
        CancellationToken cancellationToken = default);

    /// <summary><c>chat.update</c>: replaces the text of a message the bot posted.</summary>
    Task<SlackApiResult> UpdateMessageAsync(
        string botToken,
        string slackChannel,
        string messageTs,
        string mrkdwn,
        CancellationToken cancellationToken = default);
}

/// <summary>How a call to Slack ended, in the terms that decide what happens next.</summary>
public enum SlackCallOutcome
{
    /// <summary>Done (for <c>reactions.add</c>, also when the reaction was already there).</summary>
    Ok = 0,

    /// <summary>HTTP 429 or <c>ratelimited</c>: try again after <see cref="SlackApiResult.RetryAfter"/>.</summary>
    RateLimited = 1,

    /// <summary>5xx, a time-out, a network error or an unreadable answer: worth another try later.</summary>
    Transient = 2,

    /// <summary>Slack said no and another try will not help; <see cref="SlackApiResult.Error"/> says why.</summary>
    Refused = 3,
}

/// <summary>Slack's answer to one Web API call.</summary>
public sealed record SlackApiResult
{
    public required string Method { get; init; }

    public required SlackCallOutcome Outcome { get; init; }

    /// <summary>Slack's error code (<c>not_in_channel</c>, <c>missing_scope</c>…) or ours (<c>timeout</c>).</summary>
    public string? Error { get; init; }

    /// <summary>For <c>missing_scope</c>: the scope the token lacks.</summary>
    public string? Needed { get; init; }

    /// <summary>For a 429: how long Slack asked to wait, or null when it did not say.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The <c>ts</c> of the posted or updated message.</summary>
    public string? Ts { get; init; }

    /// <summary>The HTTP status, or null when no answer came.</summary>
    public int? StatusCode { get; init; }

    public bool Succeeded => Outcome == SlackCallOutcome.Ok;
}
