using System.Diagnostics;
using Dagen.Grains.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Drives a sending queue with the fake clock: moves the clock to each attempt the queue scheduled, exactly, and
/// waits (in real time, bounded) while an attempt is under way, until the queue is empty.
/// </summary>
public static class QueueDriver
{
    public static async Task DrainAsync(FakeTimeProvider clock, Func<Task<SendQueueStatus>> status)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var current = await status();
            if (current.Queued == 0 && !current.Sending)
            {
                return;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"The queue did not drain: {current}");
            var wait = current.NextAttemptAt is { } due ? due - clock.GetUtcNow() : TimeSpan.Zero;
            if (!current.Sending && wait > TimeSpan.Zero)
            {
                clock.Advance(wait);
            }
            else
            {
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Waits (bounded) until no attempt is under way and the next is scheduled; returns the status.</summary>
    public static async Task<SendQueueStatus> SettledAsync(Func<Task<SendQueueStatus>> status)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var current = await status();
            if (!current.Sending && (current.Queued == 0 || current.NextAttemptAt is not null))
            {
                return current;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"The queue did not settle: {current}");
            await Task.Delay(10);
        }
    }
}
