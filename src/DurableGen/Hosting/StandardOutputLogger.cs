using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace DurableGen;

/// <summary>
/// The default logger: one JSON object per line on standard output, which Lambda ships to CloudWatch. Every active
/// scope's key/value pairs become fields (innermost wins), so <c>executionArn</c> and <c>operationId</c> are filterable.
/// </summary>
internal sealed class StandardOutputLogger(TextWriter output) : ILogger
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly AsyncLocal<Scope?> _scope = new();
    private readonly object _gate = new();

    public static StandardOutputLogger Instance { get; } = new(Console.Out);

    public IDisposable BeginScope<TState>(TState state) where TState : notnull
    {
        var scope = new Scope(this, state, _scope.Value);
        _scope.Value = scope;
        return scope;
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var scope = _scope.Value; scope is not null; scope = scope.Parent)
        {
            AddPairs(fields, scope.State, overwrite: false);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("level", logLevel.ToString());
            json.WriteString("message", formatter(state, exception));
            foreach (var (key, value) in fields)
            {
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }

            if (exception is not null)
            {
                json.WriteString("errorType", exception.GetType().FullName);
                json.WriteString("stackTrace", exception.ToString());
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            output.WriteLine(line);
        }
    }

    private static void AddPairs(Dictionary<string, object?> fields, object? state, bool overwrite)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                if (overwrite || !fields.ContainsKey(key))
                {
                    fields[key] = value;
                }
            }
        }
        else if (state is IEnumerable<KeyValuePair<string, object>> plain)
        {
            foreach (var (key, value) in plain)
            {
                if (overwrite || !fields.ContainsKey(key))
                {
                    fields[key] = value;
                }
            }
        }
    }

    private sealed class Scope(StandardOutputLogger owner, object state, Scope? parent) : IDisposable
    {
        public object State => state;

        public Scope? Parent => parent;

        public void Dispose() => owner._scope.Value = parent;
    }
}
