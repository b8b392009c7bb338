using Dagen.Grains.Delivery;
using Dagen.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace Dagen.Grains.Slack;

/// <summary>
/// Removes the records of the events first seen in one minute, together, once the retention has passed for the
/// last of them. Each event is stored as a record of its own (adding one writes that one only), and one reminder
/// per bucket checks every <see cref="EventDedupOptions.CheckPeriod"/> whether the time has come; it is checked
/// on the grain's clock, so a bucket may expire up to one check period late, never early.
/// </summary>
internal sealed partial class EventDedupExpiryGrain(
    [PersistentState("event-dedup-expiry", GrainStorage.Default)] IPersistentState<EventDedupExpiryState> state,
    IOptions<EventDedupOptions> options,
    TimeProvider clock,
    ILogger<EventDedupExpiryGrain> logger) : Grain, IEventDedupExpiryGrain, IRemindable
{
    internal const string ReminderName = "expire-bucket";

    private const int ParallelRemovals = 32;

    private readonly EventDedupOptions _options = options.Value;
    private readonly List<ExpiringEvent> _events = [];

    private QueueRecords<ExpiringEvent> _records = null!;
    private SerialWrites _writes = null!;
    private Task? _registering;
    private bool _closing;

    private string Bucket => this.GetPrimaryKeyString();

    private DateTimeOffset ExpiresAt => EventDedupExpiryKey.EndOf(Bucket) + _options.Retention;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Default);
        _writes = new SerialWrites(state.WriteStateAsync);
        _records = new QueueRecords<ExpiringEvent>(
            storage, this.GetGrainId(), "event", state.State.Position, WriteAsync);
        _events.AddRange(await _records.LoadAsync(cancellationToken));
    }

    public async Task AddAsync(string eventId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        if (_closing)
        {
            throw new InvalidOperationException($"Expiry bucket {Bucket} is being removed; add {eventId} again later.");
        }

        var expiring = new ExpiringEvent { EventId = eventId };
        await _records.AddAsync([expiring]);
        _events.Add(expiring);
        await EnsureReminderAsync();
        LogAdded(Bucket, eventId, _events.Count);
    }

    public Task<int> CountAsync() => Task.FromResult(_events.Count);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName || clock.GetUtcNow() < ExpiresAt)
        {
            return;
        }

        foreach (var batch in _events.ToList().Chunk(ParallelRemovals))
        {
            await Task.WhenAll(batch.Select(RemoveAsync));
        }

        if (_events.Count > 0)
        {
            // Failed removals, or events added while this ran, wait for the next check.
            LogSomeLeft(Bucket, _events.Count, _options.CheckPeriod);
            return;
        }

        // From here on adds are refused (the event tries again later and lands in the next activation): one that
        // came in while the reminder is dropped and the state cleared would be stored with nothing to remove it.
        // An add still storing its record or registering the reminder keeps the bucket for the next check.
        _closing = true;
        if (_records.Count > 0 || _registering is not null)
        {
            _closing = false;
            LogSomeLeft(Bucket, _records.Count, _options.CheckPeriod);
            return;
        }

        try
        {
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            // After any write still under way, which would otherwise bring the state back or conflict.
            await _writes.IdleAsync();
            await state.ClearStateAsync();
        }
        catch
        {
            _closing = false;
            throw;
        }

        LogExpired(Bucket);
        DeactivateOnIdle();
    }

    private async Task RemoveAsync(ExpiringEvent expiring)
    {
        try
        {
            await GrainFactory.GetGrain<IEventDedupFollowUp>(expiring.EventId).ExpireAsync();
            await _records.RemoveAsync(expiring);
            _events.Remove(expiring);
        }
        catch (Exception exception)
        {
            LogRemoveFailed(Bucket, expiring.EventId, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Registers the bucket's reminder once; adds side by side share the one registration.</summary>
    private Task EnsureReminderAsync()
    {
        if (state.State.ReminderSet)
        {
            return Task.CompletedTask;
        }

        _registering ??= RegisterAsync();
        return _registering;
    }

    private async Task RegisterAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, _options.CheckPeriod, _options.CheckPeriod);
            state.State.ReminderSet = true;
            await WriteAsync();
        }
        finally
        {
            _registering = null;
        }
    }

    /// <summary>Writes the state after any write still under way, so that two writes never overlap.</summary>
    private Task WriteAsync() => _writes.WriteAsync();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Expiry bucket {Bucket}: event {EventId} added ({Count} held)")]
    private partial void LogAdded(string bucket, string eventId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Expiry bucket {Bucket}: every record removed")]
    private partial void LogExpired(string bucket);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Expiry bucket {Bucket}: event {EventId} could not be removed; tried again later. {ErrorType}: "
            + "{Reason}")]
    private partial void LogRemoveFailed(string bucket, string eventId, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Expiry bucket {Bucket}: {Count} events left for the next check in {CheckPeriod}")]
    private partial void LogSomeLeft(string bucket, int count, TimeSpan checkPeriod);
}
