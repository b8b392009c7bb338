namespace Dagen.StandIns.Slack;

/// <summary>
/// What a person does in the local workspace: post as a member, run a slash command, set up the app.
/// </summary>
internal sealed partial class SlackWorkspace(
    WorkspaceState state,
    EventSender events,
    TimeProvider time,
    ILogger<SlackWorkspace> logger)
{
    /// <summary>
    /// Posts <paramref name="typed"/> as <paramref name="who"/> (an id or a name), in the thread of
    /// <paramref name="threadTs"/> when given. When it mentions the bot, sends the app_mention to the Request
    /// URL the way Slack would, and returns the first delivery attempt.
    /// </summary>
    public async Task<PostedMessage> PostAsUserAsync(string who, string typed, string? threadTs = null)
    {
        var author = LocalWorkspace.Find(who) is { Id: not LocalWorkspace.BotUserId } found
            ? found
            : throw new WorkspaceInputException(
                $"'{who}' is not someone you can speak as; choose one of "
                + string.Join(", ", LocalWorkspace.Speakers.Select(u => u.Name)) + ".");

        if (string.IsNullOrWhiteSpace(typed))
        {
            throw new WorkspaceInputException("The message is empty; type something, e.g. '@dagen help'.");
        }

        if (typed.TrimStart().StartsWith('/'))
        {
            return new PostedMessage(null, null, RunSlashCommand(author, typed.Trim()));
        }

        string? parentTs = null;
        if (!string.IsNullOrWhiteSpace(threadTs))
        {
            parentTs = state.ThreadParent(threadTs.Trim())
                ?? throw new WorkspaceInputException($"There is no message with ts '{threadTs}' to reply to.");
        }

        var parsed = TypedMessage.Parse(typed);
        var message = state.Add(new MessageEntry
        {
            Ts = state.NextTs(),
            ThreadTs = parentTs,
            UserId = author.Id,
            BotId = author.BotId,
            Text = parsed.Text,
            Source = MessageSource.User,
            Blocks = parsed.Blocks.ToJsonString(),
            PostedAt = time.GetUtcNow(),
        });
        LogPosted(message.Ts, author.Id, parentTs is not null);

        if (!parsed.Mentions(LocalWorkspace.BotUserId))
        {
            return new PostedMessage(message, null, null);
        }

        if (WhyNoEvent() is { } note)
        {
            state.MarkEvent(message.Ts, null, note);
            LogNoEvent(message.Ts, note);
            return new PostedMessage(state.Find(message.Ts), null, note);
        }

        var parentUserId = parentTs is null ? null : state.Find(parentTs)?.UserId;
        var outgoing = OutgoingEvent.AppMention(message, author, parsed.Blocks, parentUserId);
        state.MarkEvent(message.Ts, outgoing.EventId, null);
        var delivery = await events.SendAsync(state.EventsUrl!, outgoing);
        return new PostedMessage(state.Find(message.Ts), delivery, null);
    }

    /// <summary>Saves the app's Request URL and, like Slack, checks it with a url_verification challenge.</summary>
    public async Task<AppSettingsView> SetEventsUrlAsync(Uri? url)
    {
        if (url is null)
        {
            state.SetEventsUrl(null, null, null);
            return Snapshot().App;
        }

        if (LocalSlackOptions.EventsUrlProblem(url) is { } problem)
        {
            throw new WorkspaceInputException(problem);
        }

        var (verified, detail) = await events.VerifyAsync(url);
        state.SetEventsUrl(url, verified, detail);
        return Snapshot().App;
    }

    /// <summary>The Incoming Webhook's full URL, known once the server has its port.</summary>
    public Uri WebhookUrl { get; set; } = new("http://127.0.0.1/");

    public WorkspaceSnapshot Snapshot() => state.Snapshot(WebhookUrl);

    private string? WhyNoEvent()
    {
        if (!state.BotInChannel)
        {
            return "Dagen is not in this channel, so Slack sends it nothing. Type /invite @Dagen.";
        }

        if (!state.HasScope("app_mentions:read"))
        {
            return "The app lacks the app_mentions:read scope, so Slack sends it no mentions.";
        }

        return state.EventsUrl is null
            ? "The app has no Request URL under Event Subscriptions yet, so the event went nowhere."
            : null;
    }

    private string RunSlashCommand(LocalUser author, string command)
    {
        var parts = command.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var target = parts.Length > 1 ? LocalWorkspace.Find(parts[1]) : null;
        var isBot = target?.Id == LocalWorkspace.BotUserId;
        switch (parts[0].ToLowerInvariant())
        {
            case "/invite" when isBot:
                if (!state.BotInChannel)
                {
                    state.SetBotInChannel(true);
                    AddSystemMessage($"<@{LocalWorkspace.BotUserId}> joined #{LocalWorkspace.ChannelName}"
                        + $" (added by <@{author.Id}>).");
                }

                return "Dagen is in the channel.";
            case "/remove" or "/kick" when isBot:
                if (state.BotInChannel)
                {
                    state.SetBotInChannel(false);
                    AddSystemMessage($"<@{LocalWorkspace.BotUserId}> was removed from #{LocalWorkspace.ChannelName}.");
                }

                return "Dagen is no longer in the channel.";
            default:
                throw new WorkspaceInputException(
                    "The local workspace knows only '/invite @Dagen' and '/remove @Dagen'.");
        }
    }

    private void AddSystemMessage(string text) => state.Add(new MessageEntry
    {
        Ts = state.NextTs(),
        UserId = LocalWorkspace.BotUserId,
        Text = text,
        Source = MessageSource.System,
        PostedAt = time.GetUtcNow(),
    });

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {Ts} posted by {UserId} (in a thread: {InThread})")]
    private partial void LogPosted(string ts, string userId, bool inThread);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {Ts} mentions the bot but sends no event: {Why}")]
    private partial void LogNoEvent(string ts, string why);
}

/// <summary>
/// The outcome of posting as a member: the recorded message (null for a slash command), the first delivery
/// of its app_mention if one was sent, and a note for a person when something did not happen.
/// </summary>
public sealed record PostedMessage(RecordedMessage? Message, EventDeliveryRecord? Delivery, string? Note);

/// <summary>Input a person gave that the workspace cannot act on; the message says what to do instead.</summary>
public sealed class WorkspaceInputException(string message) : Exception(message);
