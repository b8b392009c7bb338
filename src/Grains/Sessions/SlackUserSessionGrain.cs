using System.Globalization;
using Dagen.Grains.Agents;
using Dagen.Grains.Dagen;
using Dagen.Grains.Hosting;
using Dagen.Grains.Slack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Dagen.Grains.Sessions;

/// <summary>
/// One Slack user's session, keyed <c>team:user</c>. A mention is acknowledged with :eyes: and saved in the
/// queue before <see cref="ReceiveMentionAsync"/> returns; a worker running beside the grain's calls answers
/// the queue one mention at a time, in the order the mentions were written, so a new mention is acknowledged
/// at once even while an earlier question is still with the agent. While mentions wait, a reminder makes
/// sure a silo's failure does not strand them.
/// </summary>
internal sealed partial class SlackUserSessionGrain(
    [PersistentState("slack-user-session", GrainStorage.Default)] IPersistentState<SessionState> state,
    ISlackReplies replies,
    IDagenClient dagen,
    IAgentClient agents,
    IOptions<SessionOptions> sessionOptions,
    IOptions<AgentOptions> agentOptions,
    TimeProvider clock,
    ILogger<SlackUserSessionGrain> logger) : Grain, ISlackUserSessionGrain, IRemindable
{
    internal const string ResumeReminderName = "resume-mentions";

    private const int RememberedEventIds = 50;
    private const string Eyes = "eyes";

    // The worker and the grain's calls interleave at awaits; storage takes one write at a time.
    private readonly SemaphoreSlim _writes = new(1, 1);

    // Cancelled when the activation goes away: the worker stops where it is, leaving the mention in progress
    // for the next activation to own up to, instead of posting from an activation that no longer exists.
    private readonly CancellationTokenSource _deactivating = new();

    private Task? _worker;
    private bool _resumeReminderSet;
    private bool _saidSomething;

    private string SessionKey => this.GetPrimaryKeyString();

    private bool HasWork => state.State.Pending.Count > 0 || state.State.InProgress is not null;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (HasWork)
        {
            // The previous activation ended with messages unanswered, and its reminder is still set.
            _resumeReminderSet = true;
            LogResuming(SessionKey, state.State.Pending.Count);
            StartWorker();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        if (_worker is { IsCompleted: false } worker)
        {
            try
            {
                // The worker handles its own failures; only the wait itself can be cut short.
                await worker.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                LogStoppedByDeactivation(SessionKey);
            }
        }

        if (!HasWork)
        {
            // Nothing is left for the reminder to resume; without this it would wake the session once more.
            await DropResumeReminderAsync();
        }
    }

    public async Task ReceiveMentionAsync(SlackMention mention)
    {
        ArgumentNullException.ThrowIfNull(mention);
        if (!string.Equals(mention.SessionKey, SessionKey, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"This session is '{SessionKey}'; it was sent a mention by '{mention.SessionKey}'.", nameof(mention));
        }

        if (IsKnown(mention.EventId))
        {
            LogDuplicate(SessionKey, mention.EventId);
            return;
        }

        await AcknowledgeAsync(mention);

        InsertInWrittenOrder(state.State.Pending, SessionState.Storable(mention));
        await WriteAsync();
        LogQueued(SessionKey, mention.EventId, state.State.Pending.Count);

        StartWorker();
    }

    public async Task ResetAsync()
    {
        state.State.History.Clear();
        state.State.Generation++;
        await WriteAsync();
        LogReset(SessionKey);
    }

    public Task<IReadOnlyList<ConversationTurn>> GetHistoryAsync() =>
        Task.FromResult<IReadOnlyList<ConversationTurn>>(state.State.History.ToList());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ResumeReminderName)
        {
            return;
        }

        _resumeReminderSet = true;
        if (HasWork)
        {
            StartWorker();
        }
        else if (_worker is null or { IsCompleted: true })
        {
            await DropResumeReminderAsync();
        }
    }

    private bool IsKnown(string eventId) =>
        state.State.InProgress?.EventId == eventId
        || state.State.Pending.Exists(m => m.EventId == eventId)
        || state.State.RecentEventIds.Contains(eventId);

    private async Task AcknowledgeAsync(SlackMention mention)
    {
        try
        {
            await replies.ReactAsync(
                new SlackMessageRef(mention.ChannelId, mention.TeamId, mention.SlackChannel, mention.Ts), Eyes);
        }
        catch (Exception exception)
        {
            // The reaction is a courtesy; the answer still comes.
            LogReactionFailed(SessionKey, mention.EventId, exception);
        }
    }

    /// <summary>
    /// Slack's message timestamps grow with time, so a mention that arrives late (another gateway, a retry)
    /// still takes its place before the ones written after it.
    /// </summary>
    private static void InsertInWrittenOrder(List<SlackMention> pending, SlackMention mention)
    {
        var index = pending.FindIndex(other => CompareTs(other.Ts, mention.Ts) > 0);
        pending.Insert(index < 0 ? pending.Count : index, mention);
    }

    private static int CompareTs(string left, string right) =>
        decimal.TryParse(left, NumberStyles.Number, CultureInfo.InvariantCulture, out var l)
        && decimal.TryParse(right, NumberStyles.Number, CultureInfo.InvariantCulture, out var r)
            ? l.CompareTo(r)
            : string.CompareOrdinal(left, right);

    private void StartWorker()
    {
        if (_worker is { IsCompleted: false })
        {
            return;
        }

        _worker = WorkAsync();
    }

    private async Task WorkAsync()
    {
        // Let the call that started the worker return first: it must not wait for answers.
        await Task.Yield();
        try
        {
            while (HasWork && !_deactivating.IsCancellationRequested)
            {
                await EnsureResumeReminderAsync();
                while (HasWork && !_deactivating.IsCancellationRequested)
                {
                    DelayDeactivation(agentOptions.Value.Timeout * 2 + TimeSpan.FromMinutes(1));
                    await AnswerNextAsync();
                }

                if (!_deactivating.IsCancellationRequested)
                {
                    await DropResumeReminderAsync();
                }
            }
        }
        catch (OperationCanceledException) when (_deactivating.IsCancellationRequested)
        {
            LogStoppedByDeactivation(SessionKey);
        }
        catch (Exception exception)
        {
            // Storage failed; what is left in the queue is picked up by the next mention or the reminder.
            LogWorkerFailed(SessionKey, exception);
        }
    }

    private async Task AnswerNextAsync()
    {
        var current = state.State;
        if (current.InProgress is { } interrupted)
        {
            // Saved as in progress but never finished: the silo stopped mid-answer. Say so rather than risk
            // doing it twice (a run triggered twice, an answer posted twice).
            LogInterrupted(SessionKey, interrupted.EventId);
            await PostAsync(SlackThreadRef.ReplyTo(interrupted),
                BotMessages.Interrupted(MentionText.Clean(interrupted.Text, interrupted.BotUserIds)));
            await FinishAsync(interrupted);
            return;
        }

        var mention = current.Pending[0];
        var command = BotCommand.Parse(MentionText.Clean(mention.Text, mention.BotUserIds));
        if (!command.OnlyReads)
        {
            current.Pending.RemoveAt(0);
            current.InProgress = mention;
            await WriteAsync();
        }

        // A read-only answer stays queued while it is given: after a restart it is given again.
        await AnswerAsync(mention, command);
        await FinishAsync(mention);
    }

    private async Task FinishAsync(SlackMention mention)
    {
        var current = state.State;
        if (ReferenceEquals(current.InProgress, mention))
        {
            current.InProgress = null;
        }
        else
        {
            current.Pending.Remove(mention);
        }

        current.RecentEventIds.Add(mention.EventId);
        if (current.RecentEventIds.Count > RememberedEventIds)
        {
            current.RecentEventIds.RemoveRange(0, current.RecentEventIds.Count - RememberedEventIds);
        }

        await WriteAsync();
    }

    private async Task AnswerAsync(SlackMention mention, BotCommand command)
    {
        var thread = SlackThreadRef.ReplyTo(mention);
        _saidSomething = false;
        try
        {
            LogAnswering(SessionKey, mention.EventId, command.GetType().Name);
            await AnswerCommandAsync(command, mention, thread);
        }
        catch (Exception exception) when (!_deactivating.IsCancellationRequested)
        {
            LogAnswerFailed(SessionKey, mention.EventId, exception);
            if (!_saidSomething)
            {
                await PostAsync(thread, BotMessages.SomethingWentWrong("an internal error, which has been logged."));
            }
        }
    }

    private async Task PostAsync(SlackThreadRef thread, string mrkdwn)
    {
        await replies.PostAsync(thread, mrkdwn);
        _saidSomething = true;
    }

    private async Task WriteAsync()
    {
        await _writes.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task EnsureResumeReminderAsync()
    {
        if (_resumeReminderSet)
        {
            return;
        }

        try
        {
            var period = sessionOptions.Value.ResumePeriod;
            await this.RegisterOrUpdateReminder(ResumeReminderName, period, period);
            _resumeReminderSet = true;
        }
        catch (Exception exception)
        {
            LogReminderFailed(SessionKey, exception);
        }
    }

    private async Task DropResumeReminderAsync()
    {
        if (!_resumeReminderSet)
        {
            return;
        }

        try
        {
            if (await this.GetReminder(ResumeReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _resumeReminderSet = false;
        }
        catch (Exception exception)
        {
            LogReminderFailed(SessionKey, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Session {SessionKey}: mention {EventId} queued ({Waiting} waiting)")]
    private partial void LogQueued(string sessionKey, string eventId, int waiting);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionKey}: mention {EventId} seen before; ignored")]
    private partial void LogDuplicate(string sessionKey, string eventId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionKey}: answering {EventId} ({Command})")]
    private partial void LogAnswering(string sessionKey, string eventId, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionKey}: resuming {Waiting} waiting mentions")]
    private partial void LogResuming(string sessionKey, int waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionKey}: conversation reset")]
    private partial void LogReset(string sessionKey);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Session {SessionKey}: mention {EventId} was interrupted by a restart; the user is asked again")]
    private partial void LogInterrupted(string sessionKey, string eventId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Session {SessionKey}: the :eyes: reaction for {EventId} failed")]
    private partial void LogReactionFailed(string sessionKey, string eventId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionKey}: answering {EventId} failed")]
    private partial void LogAnswerFailed(string sessionKey, string eventId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionKey}: the answering worker stopped; "
        + "waiting mentions resume with the next mention or the reminder")]
    private partial void LogWorkerFailed(string sessionKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Session {SessionKey}: answering stopped because the session is deactivating")]
    private partial void LogStoppedByDeactivation(string sessionKey);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Session {SessionKey}: the resume reminder could not be changed")]
    private partial void LogReminderFailed(string sessionKey, Exception exception);
}
