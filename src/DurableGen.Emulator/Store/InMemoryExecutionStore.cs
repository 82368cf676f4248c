using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace DurableGen.Emulator.Store;

/// <summary>An <see cref="IExecutionStore"/> in process memory; copies in and out, except for the engine's in-place
/// changes of its own records (<see cref="IExecutionStore.Open"/>).</summary>
public sealed class InMemoryExecutionStore : IExecutionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ExecutionRecord> _executions = new(StringComparer.Ordinal);
    private readonly ExecutionIndex _index = new();
    private readonly byte[] _callbackKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private long _sequence;

    /// <inheritdoc />
    ExecutionRecord? IExecutionStore.Open(string durableExecutionArn)
    {
        lock (_gate)
        {
            return _executions.GetValueOrDefault(durableExecutionArn);
        }
    }

    /// <inheritdoc />
    byte[] IExecutionStore.CallbackKey => _callbackKey;

    /// <inheritdoc />
    ExecutionRecord? IExecutionStore.Load(string durableExecutionArn)
    {
        lock (_gate)
        {
            return _executions.TryGetValue(durableExecutionArn, out var record) ? record.Clone() : null;
        }
    }

    /// <inheritdoc />
    Task IExecutionStore.Commit(IReadOnlyList<ExecutionRecord> inserts, IReadOnlyList<ExecutionRecord> saves)
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

                if (!ReferenceEquals(stored, record) && stored.StoreVersion != record.StoreVersion)
                {
                    throw ExecutionStoreConflict.Create(record, stored.StoreVersion);
                }
            }

            foreach (var record in inserts)
            {
                _executions.Add(record.DurableExecutionArn, record.Clone());
                _index.Set(record.ToIndexEntry());
            }

            foreach (var record in saves)
            {
                record.StoreVersion++;
                if (!ReferenceEquals(_executions[record.DurableExecutionArn], record))
                {
                    _executions[record.DurableExecutionArn] = record.Clone();
                }

                _index.Set(record.ToIndexEntry());
            }

            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    IReadOnlyList<ExecutionIndexEntry> IExecutionStore.ListByFunction(string functionName, bool oldestFirst,
        ExecutionListKey? after, Func<ExecutionIndexEntry, bool> match, int max)
    {
        lock (_gate)
        {
            return _index.ListByFunction(functionName, oldestFirst, after, match, max);
        }
    }

    /// <inheritdoc />
    ExecutionIndexEntry? IExecutionStore.FindByName(string functionName, string executionName)
    {
        lock (_gate)
        {
            return _index.FindByName(functionName, executionName);
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.ListOpen()
    {
        lock (_gate)
        {
            return _index.ListOpen();
        }
    }

    /// <inheritdoc />
    string? IExecutionStore.FindRunnable()
    {
        lock (_gate)
        {
            return _index.FindRunnable();
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.FindRunnable(int max)
    {
        lock (_gate)
        {
            return _index.FindRunnable(max);
        }
    }

    /// <inheritdoc />
    DateTimeOffset? IExecutionStore.GetNextDueTime()
    {
        lock (_gate)
        {
            return _index.GetNextDueTime();
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.FindDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _index.FindDue(now);
        }
    }

    /// <inheritdoc />
    long IExecutionStore.SchedulingVersion => _index.SchedulingVersion; // read without the lock: see the index

    /// <inheritdoc />
    long IExecutionStore.NextSequence()
    {
        lock (_gate)
        {
            return ++_sequence;
        }
    }
}
