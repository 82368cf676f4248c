using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace DurableGen.Emulator.Hosting;

/// <summary>Writes every log call into an <see cref="ExecutionLogSink"/> as a structured record (level, message, scope
/// fields, state pairs, error type), and forwards it to another logger if given.</summary>
internal sealed class CapturingLogger(ExecutionLogSink sink, string arn, ILogger? forward) : ILogger
{
    private readonly AsyncLocal<Scope?> _scope = new();

    public IDisposable BeginScope<TState>(TState state) where TState : notnull
    {
        var scope = new Scope(this, state, _scope.Value, forward?.BeginScope(state));
        _scope.Value = scope;
        return scope;
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        var fields = new JsonObject
        {
            ["level"] = logLevel.ToString(),
            ["message"] = message,
        };
        for (var scope = _scope.Value; scope is not null; scope = scope.Parent)
        {
            AddPairs(fields, scope.State);
        }

        AddPairs(fields, state);
        if (exception is not null)
        {
            fields["errorType"] = exception.GetType().FullName;
        }

        sink.Add(arn, logLevel, message, exception, fields);
        forward?.Log(logLevel, eventId, state, exception, formatter);
    }

    private static void AddPairs(JsonObject fields, object? state)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return;
        }

        foreach (var (key, value) in pairs)
        {
            // The first value found wins: the innermost scope, then outer scopes, then the call's own state.
            if (key == "{OriginalFormat}" || fields.ContainsKey(key))
            {
                continue;
            }

            fields[key] = value switch
            {
                null => null,
                string s => s,
                bool b => b,
                int i => i,
                long l => l,
                double d => d,
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
        }
    }

    private sealed class Scope(CapturingLogger owner, object state, Scope? parent, IDisposable? forwarded) : IDisposable
    {
        public object State => state;

        public Scope? Parent => parent;

        public void Dispose()
        {
            owner._scope.Value = parent;
            forwarded?.Dispose();
        }
    }
}
