using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Dagen.Grains.Delivery;

/// <summary>
/// The base of the grains that send to Slack from a persisted queue, one HTTP attempt per grain turn. A grain
/// timer on the grain's <see cref="TimeProvider"/> drives the sending; after each attempt the next one is
/// scheduled at <see cref="NotBefore"/> (pacing, <c>Retry-After</c> or back-off), never awaited. A wake-up
/// reminder exists while the queue holds work, so a queue left by a deactivation or a silo restart resumes.
/// Writes of the state are chained, because enqueuing interleaves with the sending turn.
/// </summary>
internal abstract partial class PacedQueueGrain(TimeProvider clock, ILogger logger) : Grain, IRemindable
{
    private const string WakeUpReminder = "wake-up";

    private static readonly TimeSpan WakeUpPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The pause after an attempt that failed in our own code, so that a fault cannot spin.</summary>
    private static readonly TimeSpan PauseAfterFault = TimeSpan.FromSeconds(30);

    private IGrainTimer? _timer;
    private SerialWrites? _writes;
    private DateTimeOffset? _dueAt;
    private DateTimeOffset _pausedUntil;
    private bool _sending;
    private bool _wakeUpRegistered;

    protected TimeProvider Clock => clock;

    /// <summary>The grain's key, for log lines.</summary>
    protected string Key => this.GetPrimaryKeyString();

    /// <summary>True while the queue holds a call.</summary>
    protected abstract bool HasWork { get; }

    /// <summary>The earliest time the next attempt may start.</summary>
    protected abstract DateTimeOffset NotBefore { get; }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ScheduleNext();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WakeUpReminder)
        {
            return;
        }

        _wakeUpRegistered = true;
        ScheduleNext();
        await SyncWakeUpAsync();
    }

    /// <summary>Makes one attempt for the call at the head of the queue and records its outcome in the state.</summary>
    protected abstract Task SendNextAsync(CancellationToken cancellationToken);

    protected abstract Task WriteStateAsync();

    /// <summary>The queue's <see cref="SendQueueStatus"/>: when the next attempt is due, whether one runs.</summary>
    protected SendQueueStatus Status(int queued, long sent, long givenUp) => new()
    {
        Queued = queued,
        NextAttemptAt = _dueAt,
        Sending = _sending,
        Sent = sent,
        GivenUp = givenUp,
    };

    /// <summary>Writes the state after any write still under way, so that two writes never overlap.</summary>
    protected Task PersistAsync()
    {
        _writes ??= new SerialWrites(WriteStateAsync);
        return _writes.WriteAsync();
    }

    /// <summary>Makes sure the timer fires when the next attempt is due; call after the queue changed.</summary>
    protected void ScheduleNext()
    {
        if (_sending)
        {
            return;
        }

        if (!HasWork)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _dueAt = null;
            return;
        }

        var now = clock.GetUtcNow();
        var due = Max(now, Max(NotBefore, _pausedUntil));
        if (_dueAt is { } scheduled && scheduled <= due)
        {
            return;
        }

        _timer ??= this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
        {
            DueTime = Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
        _dueAt = due;
        _timer.Change(due - now, Timeout.InfiniteTimeSpan);
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        _dueAt = null;
        var now = clock.GetUtcNow();
        if (HasWork && Max(NotBefore, _pausedUntil) <= now)
        {
            await SyncWakeUpAsync();
            await AttemptAsync(cancellationToken);
        }

        ScheduleNext();
        await SyncWakeUpAsync();
    }

    private async Task AttemptAsync(CancellationToken cancellationToken)
    {
        _sending = true;
        try
        {
            await SendNextAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _pausedUntil = clock.GetUtcNow() + PauseAfterFault;
            LogAttemptFault(logger, exception, Key, PauseAfterFault);
        }
        finally
        {
            _sending = false;
        }

        try
        {
            await PersistAsync();
        }
        catch (Exception exception)
        {
            LogPersistFault(logger, exception, Key);
        }
    }

    /// <summary>Keeps the wake-up reminder in step: present while the queue holds work, gone once empty.</summary>
    private async Task SyncWakeUpAsync()
    {
        try
        {
            while (HasWork != _wakeUpRegistered)
            {
                if (HasWork)
                {
                    await this.RegisterOrUpdateReminder(WakeUpReminder, WakeUpPeriod, WakeUpPeriod);
                    _wakeUpRegistered = true;
                }
                else
                {
                    var reminder = await this.GetReminder(WakeUpReminder);
                    if (reminder is not null)
                    {
                        await this.UnregisterReminder(reminder);
                    }

                    _wakeUpRegistered = false;
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogWakeUpFault(logger, exception, Key);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Key}: an attempt failed in our own code; pausing {Pause}")]
    private static partial void LogAttemptFault(ILogger logger, Exception exception, string key, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Key}: the queue could not be saved; trying again later")]
    private static partial void LogPersistFault(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Key}: the wake-up reminder could not be updated")]
    private static partial void LogWakeUpFault(ILogger logger, Exception exception, string key);
}
