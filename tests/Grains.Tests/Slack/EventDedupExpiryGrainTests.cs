using Dagen.Grains.Delivery;
using Dagen.Grains.Hosting;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace Dagen.Grains.Tests.Slack;

[Collection(ClusterCollection.Name)]
public sealed class EventDedupExpiryGrainTests(ClusterFixture fixture)
{
    private IGrainStorage Storage =>
        fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GrainStorage.Default);

    [Fact]
    public async Task AnEventAddedWhileItsBucketExpiresIsExpiredTooAndLeavesNoRecordBehind()
    {
        // A minute long past: the bucket is due at once.
        var minute = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(500_000));
        var bucket = fixture.Client.GetGrain<IEventDedupExpiryGrain>(
            EventDedupExpiryKey.For(minute, Guid.NewGuid().ToString("N")));
        Assert.Equal(0, await bucket.CountAsync());

        // The bucket's check runs while a late joiner (a claim whose first join failed) is added.
        var now = DateTime.UtcNow;
        var check = bucket.AsReference<IRemindable>().ReceiveReminder(
            EventDedupExpiryGrain.ReminderName, new TickStatus(now, TimeSpan.FromSeconds(1), now));
        var add = bucket.AddAsync("EvLATEJOINER1");
        await check;
        try
        {
            await add;
        }
        catch (InvalidOperationException)
        {
            // Refused while the bucket goes: the event tries again later, into a new activation.
        }

        // Whatever the order, the event must end up removed by a later check, not stored with nothing to remove it.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var left = new List<string>();
        for (var sequence = 1; sequence <= 2 * QueueRecordsBlock; sequence++)
        {
            var record = new GrainState<ExpiringEvent>();
            await Storage.ReadStateAsync($"event-{sequence}", bucket.GetGrainId(), record);
            if (record.RecordExists)
            {
                left.Add($"event-{sequence}: {record.State?.EventId}");
            }
        }

        Assert.Empty(left);
    }

    private const int QueueRecordsBlock = QueueRecords<ExpiringEvent>.BlockSize;
}
