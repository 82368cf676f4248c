using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DurableGen.Testing;

/// <summary>One line a workflow logged.</summary>
/// <param name="Level">The level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record CapturedLog(LogLevel Level, string Message, Exception? Exception);

/// <summary>Records every line into the execution's log and forwards it to the host's logger, if any.</summary>
internal sealed class CapturingLogger(ConcurrentQueue<CapturedLog> sink, ILogger? forward) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => forward?.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        sink.Enqueue(new CapturedLog(logLevel, formatter(state, exception), exception));
        forward?.Log(logLevel, eventId, state, exception, formatter);
    }
}
