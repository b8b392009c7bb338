namespace Dagen.StandIns.Hosting;

/// <summary>How a stand-in is hosted in a process: the clock it runs on and where its logs go.</summary>
public sealed class StandInHostOptions
{
    /// <summary>
    /// The clock behind message timestamps, run durations and retry delays. Default: the system clock.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Adds log providers and filters. Default: no logging, which suits tests.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
