using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Api;
using Microsoft.Data.Sqlite;

namespace DurableGen.LocalService.Traces;

/// <summary>
/// The spans functions export to the service (<c>POST /v1/traces</c>), grouped by trace, bounded: at most
/// <see cref="MaxSpansPerTrace"/> per trace (later spans of a full trace are refused, as OTLP partial success) and
/// <see cref="MaxSpans"/> in all (the trace that arrived first is dropped whole to make room). With a database the
/// spans are also kept in a table of the service's SQLite file, so a restart shows the same traces; without, in memory.
/// </summary>
/// <remarks>An execution's spans are found by the trace id the service gives all its invocations (the X-Ray
/// <c>Root</c> of InvocationTraceHeader: the first 16 bytes of SHA-256 of the ARN, which is also the trace id
/// DurableGen.OpenTelemetry falls back to without a header), so spans without the ARN attribute (a user's HttpClient
/// span) are found too; and by the <c>durable.execution.arn</c> attribute, for a trace id that came from elsewhere.</remarks>
internal sealed class TraceStore : IDisposable
{
    /// <summary>The most spans kept of one trace.</summary>
    public const int MaxSpansPerTrace = 10_000;

    /// <summary>The most spans kept in all.</summary>
    public const int MaxSpans = 200_000;

    private readonly object _gate = new();
    private readonly Dictionary<string, StoredTrace> _traces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _tracesByArn = new(StringComparer.Ordinal);

    // Traces in arrival order, for eviction; an entry whose trace was dropped (or dropped and begun again) is stale.
    private readonly Queue<(string TraceId, long FirstSequence)> _arrivals = new();
    private readonly SqliteConnection? _connection;
    private readonly int _maxSpans;
    private readonly int _maxSpansPerTrace;
    private long _sequence;
    private int _count;

    /// <summary>Keeps spans in memory, and in <paramref name="databasePath"/> when given (table <c>otlp_spans</c>).</summary>
    public TraceStore(string? databasePath, int maxSpans = MaxSpans, int maxSpansPerTrace = MaxSpansPerTrace)
    {
        _maxSpans = maxSpans;
        _maxSpansPerTrace = maxSpansPerTrace;
        if (string.IsNullOrEmpty(databasePath))
        {
            return;
        }

        DatabasePath = databasePath;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();

        // Spans are diagnostics, not state: NORMAL sync on this connection is enough.
        Execute("""
            PRAGMA busy_timeout=5000;
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS otlp_spans (
                trace_id TEXT NOT NULL,
                span_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                span TEXT NOT NULL,
                PRIMARY KEY (trace_id, span_id)) WITHOUT ROWID;
            """);
        using var load = _connection.CreateCommand();
        load.CommandText = "SELECT seq, span FROM otlp_spans ORDER BY seq";
        using var reader = load.ExecuteReader();
        while (reader.Read())
        {
            var sequence = reader.GetInt64(0);
            _sequence = Math.Max(_sequence, sequence);
            if (JsonSerializer.Deserialize(reader.GetString(1), LocalJsonContext.Rest.TraceSpan) is { } span)
            {
                Keep(span, sequence);
            }
        }
    }

    /// <summary>The span file kept beside an execution database: <c>executions.db</c> → <c>executions.traces.db</c>
    /// (null for none). A file of its own, because SQLite has one writer per file: span batches written into the
    /// execution database held up the checkpoints that met them.</summary>
    public static string? PathBeside(string? executionDatabasePath) => string.IsNullOrEmpty(executionDatabasePath)
        ? null
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(executionDatabasePath)) ?? "",
            Path.GetFileNameWithoutExtension(executionDatabasePath) + ".traces" + Path.GetExtension(executionDatabasePath));

    /// <summary>The file the spans are kept in, if any.</summary>
    public string? DatabasePath { get; }

    /// <summary>How many spans are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>The trace id of every invocation of <paramref name="executionArn"/> on this service.</summary>
    public static string TraceIdOf(string executionArn) => InvocationTraceHeader.TraceIdOf(executionArn);

    /// <summary>Keeps the spans (a span sent again replaces itself); returns how many were refused because their
    /// trace is full.</summary>
    public int Add(IReadOnlyList<TraceSpan> spans)
    {
        var refused = 0;
        lock (_gate)
        {
            var kept = new List<(TraceSpan Span, long Sequence)>();
            var evicted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var span in spans)
            {
                var sequence = ++_sequence;
                if (!Keep(span, sequence))
                {
                    refused++;
                    continue;
                }

                kept.Add((span, sequence));
                while (_count > _maxSpans && Oldest(span.TraceId) is { } oldest)
                {
                    Drop(oldest);
                    evicted.Add(oldest);
                    // Spans of this batch that the eviction took: a trace begun again later in the batch is written anew.
                    kept.RemoveAll(k => k.Span.TraceId == oldest);
                }
            }

            Persist(kept, evicted);
        }

        return refused;
    }

    /// <summary>Every span kept, of every trace: what the functions exported, whoever they belong to.</summary>
    public IReadOnlyList<TraceSpan> All()
    {
        lock (_gate)
        {
            return _traces.Values.SelectMany(trace => trace.Spans.Values).ToList();
        }
    }

    /// <summary>The spans of the execution's traces, oldest first.</summary>
    public IReadOnlyList<TraceSpan> ForExecution(string executionArn)
    {
        lock (_gate)
        {
            var ids = new SortedSet<string>(StringComparer.Ordinal) { TraceIdOf(executionArn) };
            if (_tracesByArn.TryGetValue(executionArn, out var more))
            {
                ids.UnionWith(more);
            }

            return ids.Where(_traces.ContainsKey).SelectMany(id => _traces[id].Spans.Values).ToList();
        }
    }

    public void Dispose() => _connection?.Dispose();

    private bool Keep(TraceSpan span, long sequence)
    {
        if (!_traces.TryGetValue(span.TraceId, out var trace))
        {
            trace = new StoredTrace(sequence);
            _traces.Add(span.TraceId, trace);
            _arrivals.Enqueue((span.TraceId, sequence));
        }

        if (!trace.Spans.ContainsKey(span.SpanId))
        {
            if (trace.Spans.Count >= _maxSpansPerTrace)
            {
                return false;
            }

            _count++;
        }

        trace.Spans[span.SpanId] = span;
        if (span.ExecutionArn() is { Length: > 0 } arn)
        {
            trace.Arns.Add(arn);
            if (!_tracesByArn.TryGetValue(arn, out var ids))
            {
                _tracesByArn[arn] = ids = new HashSet<string>(StringComparer.Ordinal);
            }

            ids.Add(span.TraceId);
        }

        return true;
    }

    /// <summary>The trace that arrived first, other than the one being added to.</summary>
    private string? Oldest(string keep)
    {
        while (_arrivals.TryPeek(out var head) && !IsLive(head))
        {
            _arrivals.Dequeue();
        }

        foreach (var entry in _arrivals)
        {
            // Past the head only when the head is the trace being added to.
            if (entry.TraceId != keep && IsLive(entry))
            {
                return entry.TraceId;
            }
        }

        return null;
    }

    private bool IsLive((string TraceId, long FirstSequence) entry) =>
        _traces.TryGetValue(entry.TraceId, out var trace) && trace.FirstSequence == entry.FirstSequence;

    private void Drop(string traceId)
    {
        var trace = _traces[traceId];
        _traces.Remove(traceId);
        _count -= trace.Spans.Count;
        foreach (var arn in trace.Arns)
        {
            if (_tracesByArn.TryGetValue(arn, out var ids) && ids.Remove(traceId) && ids.Count == 0)
            {
                _tracesByArn.Remove(arn);
            }
        }
    }

    private void Persist(List<(TraceSpan Span, long Sequence)> kept, HashSet<string> evicted)
    {
        if (_connection is null || (kept.Count == 0 && evicted.Count == 0))
        {
            return;
        }

        using var transaction = _connection.BeginTransaction();
        foreach (var traceId in evicted)
        {
            using var delete = _connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM otlp_spans WHERE trace_id = $t";
            delete.Parameters.AddWithValue("$t", traceId);
            delete.ExecuteNonQuery();
        }

        foreach (var (span, sequence) in kept)
        {
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR REPLACE INTO otlp_spans (trace_id, span_id, seq, span) VALUES ($t, $s, $q, $j)";
            insert.Parameters.AddWithValue("$t", span.TraceId);
            insert.Parameters.AddWithValue("$s", span.SpanId);
            insert.Parameters.AddWithValue("$q", sequence);
            insert.Parameters.AddWithValue("$j", JsonSerializer.Serialize(span, LocalJsonContext.Rest.TraceSpan));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private void Execute(string sql)
    {
        using var command = _connection!.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class StoredTrace(long firstSequence)
    {
        public long FirstSequence { get; } = firstSequence;

        public Dictionary<string, TraceSpan> Spans { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Arns { get; } = new(StringComparer.Ordinal);
    }
}
