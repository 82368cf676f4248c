using System;
using Microsoft.Extensions.Logging;

namespace DurableGen.Execution;

/// <summary>
/// Forwards to an inner logger, except while the workflow replays completed work: then it is silent, so each message
/// is written once per execution rather than once per invocation.
/// </summary>
internal sealed class ReplayAwareLogger(ILogger inner, ExecutionState state, bool modeAware) : ILogger
{
    public ILogger Inner => inner;

    public bool ModeAware => modeAware;

    public IDisposable? BeginScope<TState>(TState scopeState) where TState : notnull => inner.BeginScope(scopeState);

    public bool IsEnabled(LogLevel logLevel) => !Suppressed && inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState scopeState, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (!Suppressed)
        {
            inner.Log(logLevel, eventId, scopeState, exception, formatter);
        }
    }

    private bool Suppressed => modeAware && state.IsReplaying;
}
