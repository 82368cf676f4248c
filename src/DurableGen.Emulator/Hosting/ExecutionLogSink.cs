using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace DurableGen.Emulator.Hosting;

/// <summary>What the functions of an in-process host wrote, captured per execution ARN in emission order.</summary>
internal sealed class ExecutionLogSink
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CapturedRecord>> _records = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>A logger whose records go to <paramref name="durableExecutionArn"/>'s capture, and to
    /// <paramref name="forward"/> if given.</summary>
    public ILogger CreateLogger(string durableExecutionArn, ILogger? forward = null) =>
        new CapturingLogger(this, durableExecutionArn, forward);

    /// <summary>Adds a structured record that is not a log call (for example one a test plugin prints).</summary>
    public void Emit(string durableExecutionArn, JsonObject fields) => Add(durableExecutionArn, null, null, null, fields);

    /// <summary>The records of an execution, in emission order.</summary>
    public IReadOnlyList<CapturedRecord> Get(string durableExecutionArn) =>
        _records.TryGetValue(durableExecutionArn, out var queue)
            ? queue.OrderBy(r => r.Sequence).ToList()
            : Array.Empty<CapturedRecord>();

    internal void Add(string arn, LogLevel? level, string? message, Exception? exception, JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields["durableExecutionArn"] ??= arn;
        _records.GetOrAdd(arn, _ => new ConcurrentQueue<CapturedRecord>())
            .Enqueue(new CapturedRecord(Interlocked.Increment(ref _sequence), level, message, exception, fields));
    }
}
