using Dagen.Grains.Hosting;
using Dagen.Grains.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace Dagen.Grains.Slack;

/// <summary>
/// Remembers one Slack event. The first copy is claimed (written to storage) and answered at once, so the gateway
/// can acknowledge Slack; right after, in a follow-up message to itself, the grain puts the event in the expiry
/// bucket of its minute (<see cref="IEventDedupExpiryGrain"/>) and hands the mention to the user's session grain.
/// A failed hand-off is tried again on a grain timer, and after a restart on a reminder that exists only while a
/// hand-off is owed. The bucket removes the record once <see cref="EventDedupOptions.Retention"/> has passed.
/// Known gap: a silo that dies between the claim and the follow-up leaves the claim out of any bucket and the
/// mention not handed on, until another copy wakes the record.
/// </summary>
internal sealed partial class EventDedupGrain(
    [PersistentState("event-dedup", GrainStorage.Default)] IPersistentState<EventDedupState> state,
    IOptions<EventDedupOptions> options,
    TimeProvider clock,
    ILogger<EventDedupGrain> logger) : Grain, IEventDedupGrain, IEventDedupFollowUp, IRemindable
{
    /// <summary>The per-event reminder from before expiry buckets; records that have one still obey it.</summary>
    private const string ExpiryReminder = "expiry";

    /// <summary>Exists only while follow-up work is owed: an expiry bucket to join or a mention to hand on.</summary>
    internal const string FollowUpReminder = "follow-up";

    private readonly EventDedupOptions _options = options.Value;

    private IGrainTimer? _retryTimer;
    private bool _followUpReminderSet;

    private string EventId => this.GetPrimaryKeyString();

    /// <summary>A claim whose follow-up did not finish (the silo stopped first) finishes it now.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (FollowUpOwed)
        {
            this.AsReference<IEventDedupFollowUp>().FollowUpAsync().Ignore();
        }

        return Task.CompletedTask;
    }

    public async Task<bool> HandleOnceAsync(SlackMention mention)
    {
        ArgumentNullException.ThrowIfNull(mention);
        if (mention.EventId != EventId)
        {
            throw new ArgumentException($"The mention is event {mention.EventId}, not {EventId}.", nameof(mention));
        }

        if (state.State.Claimed)
        {
            state.State.Copies++;
            await state.WriteStateAsync();
            LogCopy(EventId, mention.ChannelId, state.State.Copies);
            return false;
        }

        state.State = new EventDedupState
        {
            Claimed = true,
            ChannelId = mention.ChannelId,
            FirstSeenAt = clock.GetUtcNow(),
            Copies = 1,

            // A plain list: JSON grain storage (ADO.NET) reads back only well-known collection types.
            Pending = mention with { BotUserIds = mention.BotUserIds.ToList() },
        };
        await state.WriteStateAsync();
        LogClaimed(EventId, mention.ChannelId, mention.SessionKey);

        // Queued behind this call: Slack's acknowledgement waits only for the claim.
        this.AsReference<IEventDedupFollowUp>().FollowUpAsync().Ignore();
        return true;
    }

    public async Task FollowUpAsync()
    {
        if (!state.State.Claimed)
        {
            return;
        }

        var scheduledNow = !state.State.ExpiryScheduled && await ScheduleExpiryAsync();

        if (HandOffOwed && _retryTimer is null)
        {
            await HandOnAsync();
            return;
        }

        if (scheduledNow)
        {
            await TryWriteAsync();
        }

        await SettleAsync();
    }

    public Task<EventDedupRecord?> GetRecordAsync()
    {
        var current = state.State;
        return Task.FromResult(current.Claimed
            ? new EventDedupRecord
            {
                EventId = EventId,
                ChannelId = current.ChannelId,
                FirstSeenAt = current.FirstSeenAt,
                Copies = current.Copies,
                HandedOn = current.HandedOn,
                HandOffAttempts = current.HandOffAttempts,
                LastCheckedAt = current.LastCheckedAt,
                ExpiresAt = current.FirstSeenAt + _options.Retention,
            }
            : null);
    }

    public async Task ExpireAsync()
    {
        var current = state.State;
        if (current.Claimed)
        {
            await state.ClearStateAsync();
            state.State = new EventDedupState();
            if (_followUpReminderSet || !current.HandedOn)
            {
                await StopReminderAsync(FollowUpReminder);
            }

            LogExpired(EventId, current.HandedOn);
        }

        DeactivateOnIdle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == FollowUpReminder)
        {
            // After a restart no retry timer runs; the reminder takes over until nothing is owed.
            _followUpReminderSet = true;
            await FollowUpAsync();
            if (!state.State.Claimed)
            {
                await SettleAsync();
            }
        }
        else if (reminderName == ExpiryReminder)
        {
            await CheckExpiryAsync();
        }
    }

    /// <summary>A record with a reminder of its own, from before expiry buckets: it expires as it always did.</summary>
    private async Task CheckExpiryAsync()
    {
        if (!state.State.Claimed)
        {
            await StopReminderAsync(ExpiryReminder);
            return;
        }

        var now = clock.GetUtcNow();
        if (now >= state.State.FirstSeenAt + _options.Retention)
        {
            var handedOn = state.State.HandedOn;
            await state.ClearStateAsync();
            state.State = new EventDedupState();
            await StopReminderAsync(ExpiryReminder);
            LogExpired(EventId, handedOn);
            DeactivateOnIdle();
            return;
        }

        state.State.LastCheckedAt = now;
        await state.WriteStateAsync();
        if (!state.State.HandedOn && _retryTimer is null && state.State.HandOffAttempts < _options.HandOffAttempts)
        {
            await HandOnAsync();
        }
    }

    private bool HandOffOwed =>
        state.State is { Claimed: true, HandedOn: false, Pending: not null }
        && state.State.HandOffAttempts < _options.HandOffAttempts;

    private bool FollowUpOwed => state.State.Claimed && (!state.State.ExpiryScheduled || HandOffOwed);

    /// <summary>
    /// Keeps the follow-up reminder while work is owed, so that a restart does not end it, and drops it after;
    /// with nothing owed the activation goes: storage answers later copies, and memory does not grow with the rate.
    /// </summary>
    private async Task SettleAsync()
    {
        if (FollowUpOwed)
        {
            if (!_followUpReminderSet)
            {
                _followUpReminderSet = await KeepFollowUpReminderAsync();
            }

            return;
        }

        if (_followUpReminderSet)
        {
            await StopReminderAsync(FollowUpReminder);
            _followUpReminderSet = false;
        }

        if (_retryTimer is null)
        {
            DeactivateOnIdle();
        }
    }

    private async Task HandOnAsync()
    {
        var mention = state.State.Pending;
        if (mention is null || state.State.HandedOn)
        {
            return;
        }

        state.State.HandOffAttempts++;
        Exception? failure = null;
        try
        {
            await GrainFactory.GetGrain<ISlackUserSessionGrain>(mention.SessionKey)
                .ReceiveMentionAsync(mention)
                .WaitAsync(_options.HandOffTimeout, clock);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        if (failure is null)
        {
            state.State.HandedOn = true;
            state.State.Pending = null;
            LogHandedOn(EventId, mention.SessionKey, state.State.HandOffAttempts);
        }

        await TryWriteAsync();

        if (failure is null)
        {
            await SettleAsync();
            return;
        }

        if (state.State.HandOffAttempts >= _options.HandOffAttempts)
        {
            LogGaveUp(
                EventId, mention.SessionKey, state.State.HandOffAttempts, failure.GetType().Name, failure.Message);
            await SettleAsync();
            return;
        }

        var delay = _options.HandOffRetryDelay * Math.Pow(2, state.State.HandOffAttempts - 1);
        LogHandOffFailed(EventId, mention.SessionKey, state.State.HandOffAttempts, delay.TotalSeconds,
            failure.GetType().Name, failure.Message);
        _retryTimer?.Dispose();
        _retryTimer = this.RegisterGrainTimer(
            static (self, _) => self.RetryHandOffAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
        await SettleAsync();
    }

    private async Task RetryHandOffAsync()
    {
        _retryTimer?.Dispose();
        _retryTimer = null;
        await HandOnAsync();
    }

    private async Task TryWriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception) when (exception is not InconsistentStateException)
        {
            // The claim itself is stored; losing this update at worst repeats a hand-off after a restart.
            LogWriteFailed(EventId, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Puts the event in its expiry bucket; true when it did. The caller stores the flag.</summary>
    private async Task<bool> ScheduleExpiryAsync()
    {
        try
        {
            var bucket = EventDedupExpiryKey.For(state.State.FirstSeenAt, EventId);
            await GrainFactory.GetGrain<IEventDedupExpiryGrain>(bucket).AddAsync(EventId);
            state.State.ExpiryScheduled = true;
            return true;
        }
        catch (Exception exception) when (exception is not InconsistentStateException)
        {
            // Tried again on the next activation; until then the record is kept rather than lost.
            LogExpiryNotScheduled(EventId, exception.GetType().Name, exception.Message);
            return false;
        }
    }

    /// <summary>Registers the follow-up reminder; true when it did.</summary>
    private async Task<bool> KeepFollowUpReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(FollowUpReminder, _options.CheckPeriod, _options.CheckPeriod);
            return true;
        }
        catch (Exception exception) when (exception is not InconsistentStateException)
        {
            LogReminderFailed(EventId, FollowUpReminder, exception.GetType().Name, exception.Message);
            return false;
        }
    }

    private async Task StopReminderAsync(string name)
    {
        try
        {
            if (await this.GetReminder(name) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception exception) when (exception is not InconsistentStateException)
        {
            LogReminderFailed(EventId, name, exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Event {EventId} (channel {ChannelId}) claimed; handing it to session {SessionKey}")]
    private partial void LogClaimed(string eventId, string channelId, string sessionKey);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Event {EventId} (channel {ChannelId}) arrived again (copy {Copies}); not handled again")]
    private partial void LogCopy(string eventId, string channelId, int copies);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Event {EventId} handed to session {SessionKey} (attempt {Attempt})")]
    private partial void LogHandedOn(string eventId, string sessionKey, int attempt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId}: session {SessionKey} did not take the mention (attempt {Attempt}); trying "
            + "again in {DelaySeconds}s. {ErrorType}: {Reason}")]
    private partial void LogHandOffFailed(
        string eventId, string sessionKey, int attempt, double delaySeconds, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Event {EventId}: gave up handing the mention to session {SessionKey} after {Attempts} attempts; "
            + "the user gets no answer. Check that the silos host the session grain. {ErrorType}: {Reason}")]
    private partial void LogGaveUp(string eventId, string sessionKey, int attempts, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId}: could not store a progress update. {ErrorType}: {Reason}")]
    private partial void LogWriteFailed(string eventId, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId}: reminder {Reminder} could not be changed. {ErrorType}: {Reason}")]
    private partial void LogReminderFailed(string eventId, string reminder, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId}: not put in an expiry bucket; tried again on the next activation. "
            + "{ErrorType}: {Reason}")]
    private partial void LogExpiryNotScheduled(string eventId, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId}: record removed (handed on: {HandedOn})")]
    private partial void LogExpired(string eventId, bool handedOn);
}
