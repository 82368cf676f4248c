using System;
using System.Collections.Generic;

namespace DurableGen.Emulator.Store;

/// <summary>
/// Everything one engine request changes, committed together through <see cref="IExecutionStore.Commit"/>. Loads go
/// through an identity map, so a request that touches an execution twice (a child closes and is delivered to a
/// caller already changed in the same request) works on one copy and never saves a stale one.
/// </summary>
internal sealed class ExecutionUnitOfWork
{
    private readonly IExecutionStore _store;
    private readonly Dictionary<string, ExecutionRecord> _loaded = new(StringComparer.Ordinal);
    private readonly List<ExecutionRecord> _inserted = new();
    private readonly List<ExecutionRecord> _saved = new();
    private readonly HashSet<string> _staged = new(StringComparer.Ordinal);

    public ExecutionUnitOfWork(IExecutionStore store) => _store = store;

    /// <summary>The request's copy of an execution: the one already loaded or inserted, else a fresh load.</summary>
    public ExecutionRecord? Load(string durableExecutionArn)
    {
        if (_loaded.TryGetValue(durableExecutionArn, out var record))
        {
            return record;
        }

        record = _store.Load(durableExecutionArn);
        if (record is not null)
        {
            _loaded[durableExecutionArn] = record;
        }

        return record;
    }

    /// <summary>Stages a new execution.</summary>
    public void Insert(ExecutionRecord record)
    {
        if (!_staged.Add(record.DurableExecutionArn))
        {
            throw new InvalidOperationException($"Execution {record.DurableExecutionArn} is already part of this request.");
        }

        _loaded[record.DurableExecutionArn] = record;
        _inserted.Add(record);
    }

    /// <summary>Stages a changed execution (its state at <see cref="Commit"/> is what is written).</summary>
    public void Save(ExecutionRecord record)
    {
        if (_loaded.TryGetValue(record.DurableExecutionArn, out var loaded) && !ReferenceEquals(loaded, record))
        {
            throw new InvalidOperationException(
                $"Execution {record.DurableExecutionArn} was saved from a copy this request did not load.");
        }

        _loaded[record.DurableExecutionArn] = record;
        if (_staged.Add(record.DurableExecutionArn))
        {
            _saved.Add(record);
        }
    }

    /// <summary>Writes every staged change in one store transaction (nothing when nothing changed).</summary>
    public void Commit()
    {
        if (_inserted.Count > 0 || _saved.Count > 0)
        {
            _store.Commit(_inserted, _saved);
        }

        _inserted.Clear();
        _saved.Clear();
        _staged.Clear();
        _loaded.Clear();
    }
}
