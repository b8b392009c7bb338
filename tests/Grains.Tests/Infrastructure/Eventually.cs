namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>A bounded wait for an effect that happens outside the test's control (a reminder, a process).</summary>
public static class Eventually
{
    /// <summary>Reads until <paramref name="done"/> holds or the time is up; returns the last value read.</summary>
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
