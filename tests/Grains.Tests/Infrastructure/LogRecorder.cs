using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>A recorded log line.</summary>
public sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

/// <summary>
/// Keeps log lines, so tests can check what an operator would read: by default those of the product's own code,
/// or those of every category whose name starts with <paramref name="categoryPrefix"/>.
/// </summary>
public sealed class LogRecorder(string categoryPrefix = "Dagen.") : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => _lines.ToList();

    /// <summary>The lines that mention <paramref name="text"/> (a grain key, an error code…).</summary>
    public IReadOnlyList<LogLine> Mentioning(string text) =>
        _lines.Where(line => line.Message.Contains(text, StringComparison.Ordinal)).ToList();

    /// <summary>True when any line, its exception included, contains <paramref name="secret"/>.</summary>
    public bool AnyContains(string secret) => _lines.Any(line =>
        line.Message.Contains(secret, StringComparison.Ordinal)
        || (line.Exception?.ToString().Contains(secret, StringComparison.Ordinal) ?? false));

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(categoryPrefix, StringComparison.Ordinal)
            ? new Recorder(categoryName, _lines)
            : NoLogger;

    public void Dispose()
    {
    }

    private static readonly ILogger NoLogger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private sealed class Recorder(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}
