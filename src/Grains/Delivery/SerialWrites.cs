namespace Dagen.Grains.Delivery;

/// <summary>
/// Runs a grain's state writes one after another: calls that interleave at awaits may each ask for a write, and
/// two writes of one state must never overlap. A failed write fails its own caller only.
/// </summary>
internal sealed class SerialWrites(Func<Task> write)
{
    private const ConfigureAwaitOptions Quietly =
        ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing;

    private Task _last = Task.CompletedTask;

    /// <summary>Writes after any write still under way.</summary>
    public Task WriteAsync()
    {
        _last = AfterAsync(_last);
        return _last;
    }

    /// <summary>Waits for any write still under way, whether it succeeds or not.</summary>
    public async Task IdleAsync() => await _last.ConfigureAwait(Quietly);

    private async Task AfterAsync(Task previous)
    {
        await previous.ConfigureAwait(Quietly);
        await write();
    }
}
