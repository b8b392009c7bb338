namespace Dagen.Grains.Delivery;

/// <summary>
/// Where a queue's stored items are: every item still queued has a number from <see cref="LowestLive"/> to
/// <see cref="ReservedThrough"/>. Part of the owning grain's state; see <see cref="QueueRecords{TItem}"/>.
/// </summary>
[GenerateSerializer, Alias("dagen.delivery.queue-position")]
internal sealed class QueuePosition
{
    /// <summary>No item below this number is still queued (as of the owner's last write).</summary>
    [Id(0)] public long LowestLive { get; set; } = 1;

    /// <summary>The highest number handed out, or reserved for items to come.</summary>
    [Id(1)] public long ReservedThrough { get; set; }
}
