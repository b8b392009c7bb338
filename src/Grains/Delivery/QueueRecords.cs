using Orleans.Runtime;
using Orleans.Storage;

namespace Dagen.Grains.Delivery;

/// <summary>An item kept by <see cref="QueueRecords{TItem}"/>: numbered when it is added.</summary>
internal interface IQueueRecord
{
    long Sequence { get; set; }
}

/// <summary>
/// Stores a queue's items one storage record per item, so that adding an item writes that item only and the cost
/// of a write does not grow with the backlog. Items are numbered in the order they are added; the numbers are
/// reserved in blocks through the owner's own small state (<see cref="QueuePosition"/>), so that after a restart
/// <see cref="LoadAsync"/> finds every item by reading the numbers from the lowest one still live to the end of
/// the last block. Writes of different records never conflict, so adds may run side by side.
/// </summary>
internal sealed class QueueRecords<TItem>
    where TItem : class, IQueueRecord
{
    /// <summary>How many numbers one write of the owner's state reserves.</summary>
    internal const int BlockSize = 64;

    private const int ParallelReads = 32;

    private readonly IGrainStorage _storage;
    private readonly GrainId _owner;
    private readonly string _prefix;
    private readonly QueuePosition _position;
    private readonly Func<Task> _savePosition;
    private readonly SortedDictionary<long, GrainState<TItem>> _live = [];

    private long _next;
    private long _durableThrough;
    private long _pendingThrough;
    private Task _reserving = Task.CompletedTask;

    /// <param name="storage">The grain storage the owner's state lives in.</param>
    /// <param name="owner">The owning grain; every record is stored under its id.</param>
    /// <param name="prefix">The start of each record's state name, followed by <c>-</c> and the number.</param>
    /// <param name="position">Part of the owner's persisted state; kept up to date here.</param>
    /// <param name="savePosition">Writes the owner's state (and with it <paramref name="position"/>).</param>
    public QueueRecords(
        IGrainStorage storage, GrainId owner, string prefix, QueuePosition position, Func<Task> savePosition)
    {
        _storage = storage;
        _owner = owner;
        _prefix = prefix;
        _position = position;
        _savePosition = savePosition;
        _durableThrough = _pendingThrough = position.ReservedThrough;
        _next = position.ReservedThrough + 1;
        _position.LowestLive = Math.Max(_position.LowestLive, 1);
    }

    /// <summary>The number of items added and not yet removed.</summary>
    public int Count => _live.Count;

    /// <summary>Reads every stored item, in the order they were added. Call once, before anything else.</summary>
    public async Task<IReadOnlyList<TItem>> LoadAsync(CancellationToken cancellationToken)
    {
        var found = new List<(long Sequence, GrainState<TItem> Record)>();
        for (var start = _position.LowestLive; start <= _position.ReservedThrough; start += ParallelReads)
        {
            var end = Math.Min(start + ParallelReads - 1, _position.ReservedThrough);
            var reads = new List<Task<(long, GrainState<TItem>)>>();
            for (var sequence = start; sequence <= end; sequence++)
            {
                reads.Add(ReadAsync(sequence, cancellationToken));
            }

            found.AddRange(await Task.WhenAll(reads));
        }

        foreach (var (sequence, record) in found.Where(pair => pair.Record is { RecordExists: true, State: not null }))
        {
            ItemOf(record).Sequence = sequence;
            _live[sequence] = record;
        }

        UpdateLowestLive();
        return _live.Values.Select(ItemOf).ToList();
    }

    /// <summary>
    /// Numbers the items (consecutively, so nothing added meanwhile comes between them) and stores them. When
    /// any cannot be stored none of them stays queued, and the failure is thrown.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<TItem> items)
    {
        var records = new List<GrainState<TItem>>(items.Count);
        foreach (var item in items)
        {
            item.Sequence = _next++;
            var record = new GrainState<TItem>(item);
            _live[item.Sequence] = record;
            records.Add(record);
        }

        try
        {
            await ReserveThroughAsync(_next - 1);
            await Task.WhenAll(records.Select(record => WriteAsync(record)));
        }
        catch
        {
            await ForgetAsync(records);
            throw;
        }
    }

    /// <summary>Stores an item again after it changed (its attempt counts, say).</summary>
    public Task SaveAsync(TItem item) =>
        _live.TryGetValue(item.Sequence, out var record) ? WriteAsync(record) : Task.CompletedTask;

    /// <summary>
    /// Removes an item that is done with, from storage and then from the queue. While its record cannot be
    /// removed the item stays live: <see cref="QueuePosition.LowestLive"/> does not pass it, so a later call
    /// here or a restart still finds it, instead of leaving a record nothing reads or removes.
    /// </summary>
    public async Task RemoveAsync(TItem item)
    {
        if (!_live.TryGetValue(item.Sequence, out var record))
        {
            return;
        }

        await _storage.ClearStateAsync(StateName(item.Sequence), _owner, record);
        _live.Remove(item.Sequence);
        UpdateLowestLive();
    }

    private async Task ReserveThroughAsync(long through)
    {
        if (through <= _durableThrough)
        {
            return;
        }

        if (through > _pendingThrough)
        {
            var target = through + BlockSize - 1;
            _pendingThrough = target;
            _position.ReservedThrough = target;
            _reserving = SaveReservationAsync(target);
        }

        await _reserving;
    }

    private async Task SaveReservationAsync(long target)
    {
        try
        {
            await _savePosition();
            _durableThrough = Math.Max(_durableThrough, target);
        }
        catch
        {
            // The next add tries again; numbers already handed out stay unused.
            _pendingThrough = _durableThrough;
            throw;
        }
    }

    private async Task ForgetAsync(List<GrainState<TItem>> records)
    {
        foreach (var record in records)
        {
            var sequence = ItemOf(record).Sequence;
            if (record.ETag is null)
            {
                _live.Remove(sequence);
                continue;
            }

            try
            {
                await _storage.ClearStateAsync(StateName(sequence), _owner, record);
                _live.Remove(sequence);
            }
            catch (Exception)
            {
                // Left in storage and kept live, so the position still covers it: it comes back after a
                // restart, sent late rather than lost, instead of staying in storage where nothing reads it.
            }
        }

        UpdateLowestLive();
    }

    private Task WriteAsync(GrainState<TItem> record) =>
        _storage.WriteStateAsync(StateName(ItemOf(record).Sequence), _owner, record);

    private async Task<(long, GrainState<TItem>)> ReadAsync(long sequence, CancellationToken cancellationToken)
    {
        var record = new GrainState<TItem>();
        await _storage.ReadStateAsync(StateName(sequence), _owner, record, cancellationToken);
        return (sequence, record);
    }

    /// <summary>
    /// Keeps <see cref="QueuePosition.LowestLive"/> at the lowest number still queued. An empty queue moves past
    /// the numbers it reserved, so that loading it reads nothing; the next add then reserves a new block.
    /// </summary>
    private void UpdateLowestLive()
    {
        if (_live.Count == 0)
        {
            _next = Math.Max(_next, _position.ReservedThrough + 1);
        }

        _position.LowestLive = _live.Count > 0 ? _live.Keys.First() : _next;
    }

    private static TItem ItemOf(GrainState<TItem> record) =>
        record.State ?? throw new InvalidOperationException("A queue record without its item.");

    private string StateName(long sequence) => $"{_prefix}-{sequence}";
}
