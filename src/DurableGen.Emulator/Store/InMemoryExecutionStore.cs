using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>An <see cref="IExecutionStore"/> in process memory; copies in and out.</summary>
public sealed class InMemoryExecutionStore : IExecutionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _executions = new(StringComparer.Ordinal);
    private readonly byte[] _callbackKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private long _sequence;

    /// <inheritdoc />
    byte[] IExecutionStore.CallbackKey => _callbackKey;

    /// <inheritdoc />
    ExecutionRecord? IExecutionStore.Load(string durableExecutionArn)
    {
        lock (_gate)
        {
            return _executions.TryGetValue(durableExecutionArn, out var entry) ? entry.Record.Clone() : null;
        }
    }

    /// <inheritdoc />
    void IExecutionStore.Commit(IReadOnlyList<ExecutionRecord> inserts, IReadOnlyList<ExecutionRecord> saves)
    {
        ArgumentNullException.ThrowIfNull(inserts);
        ArgumentNullException.ThrowIfNull(saves);
        lock (_gate)
        {
            // Every check before any change: a refused commit leaves the store as it was.
            foreach (var record in inserts)
            {
                if (_executions.ContainsKey(record.DurableExecutionArn))
                {
                    throw new InvalidOperationException($"Execution {record.DurableExecutionArn} already exists.");
                }
            }

            foreach (var record in saves)
            {
                if (!_executions.TryGetValue(record.DurableExecutionArn, out var stored))
                {
                    throw new InvalidOperationException($"Execution {record.DurableExecutionArn} does not exist.");
                }

                if (stored.Record.StoreVersion != record.StoreVersion)
                {
                    throw ExecutionStoreConflict.Create(record, stored.Record.StoreVersion);
                }
            }

            foreach (var record in inserts)
            {
                _executions.Add(record.DurableExecutionArn, new Entry(record.Clone(), record.ToIndexEntry()));
            }

            foreach (var record in saves)
            {
                record.StoreVersion++;
                _executions[record.DurableExecutionArn] = new Entry(record.Clone(), record.ToIndexEntry());
            }
        }
    }

    /// <inheritdoc />
    IReadOnlyList<ExecutionIndexEntry> IExecutionStore.ListByFunction(string functionName)
    {
        lock (_gate)
        {
            var result = new List<ExecutionIndexEntry>();
            foreach (var entry in _executions.Values)
            {
                if (string.Equals(entry.Index.FunctionName, functionName, StringComparison.Ordinal))
                {
                    result.Add(entry.Index);
                }
            }

            return result;
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.ListOpen()
    {
        lock (_gate)
        {
            var result = new List<string>();
            foreach (var entry in _executions.Values)
            {
                if (entry.Index.Status == ExecutionStatus.Running)
                {
                    result.Add(entry.Index.DurableExecutionArn);
                }
            }

            return result;
        }
    }

    /// <inheritdoc />
    string? IExecutionStore.FindRunnable()
    {
        lock (_gate)
        {
            ExecutionIndexEntry? best = null;
            foreach (var entry in _executions.Values)
            {
                if (entry.Index.IsRunnable && (best is null || entry.Index.RunnableSequence < best.RunnableSequence))
                {
                    best = entry.Index;
                }
            }

            return best?.DurableExecutionArn;
        }
    }

    /// <inheritdoc />
    DateTimeOffset? IExecutionStore.GetNextDueTime()
    {
        lock (_gate)
        {
            DateTimeOffset? next = null;
            foreach (var entry in _executions.Values)
            {
                if (entry.Index.NextDueTime is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }

            return next;
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.FindDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = new List<ExecutionIndexEntry>();
            foreach (var entry in _executions.Values)
            {
                if (entry.Index.NextDueTime is { } next && next <= now)
                {
                    due.Add(entry.Index);
                }
            }

            due.Sort((a, b) => a.NextDueTime != b.NextDueTime
                ? a.NextDueTime!.Value.CompareTo(b.NextDueTime!.Value)
                : string.CompareOrdinal(a.DurableExecutionArn, b.DurableExecutionArn));
            return due.ConvertAll(e => e.DurableExecutionArn);
        }
    }

    /// <inheritdoc />
    long IExecutionStore.NextSequence()
    {
        lock (_gate)
        {
            return ++_sequence;
        }
    }

    private sealed record Entry(ExecutionRecord Record, ExecutionIndexEntry Index);
}
