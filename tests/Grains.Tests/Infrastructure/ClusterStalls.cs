using System.Collections.Concurrent;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Holds calls to chosen grains (by key) until the test lets them go, as an overloaded or partitioned cluster
/// would, so tests can watch what the gateway answers while it waits.
/// </summary>
public sealed class ClusterStalls : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, Stall> _stalls = new();

    /// <summary>Holds every call to a grain with this key from now until the returned stall is released.</summary>
    public Stall Hold(string grainKey) => _stalls[grainKey] = new Stall();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TargetId.Key.ToString() is { } key && _stalls.TryGetValue(key, out var stall))
        {
            stall.Entered.TrySetResult();
            await stall.Released.Task;
        }

        await context.Invoke();
    }

    public sealed class Stall
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}
