using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace DurableGen.Emulator.Store;

/// <summary>
/// Everything one engine request changes, committed together through <see cref="IExecutionStore.Commit"/>. The request
/// works on the store's own records (<see cref="IExecutionStore.Open"/>), not on copies: each gets a journal
/// (<see cref="ExecutionRecord.BeginChanges"/>) when first loaded, so the request costs what it changes whatever the
/// history's length, and <see cref="Rollback"/> puts every record back when the request or its commit fails. Loads go
/// through an identity map, so a request that touches an execution twice (a child closes and is delivered to a caller
/// already changed in the same request) sees one record.
/// </summary>
internal sealed class ExecutionUnitOfWork
{
    private readonly IExecutionStore _store;
    private readonly Dictionary<string, ExecutionRecord> _loaded = new(StringComparer.Ordinal);
    private readonly List<ExecutionRecord> _inserted = new();
    private readonly List<ExecutionRecord> _saved = new();
    private readonly HashSet<string> _staged = new(StringComparer.Ordinal);

    public ExecutionUnitOfWork(IExecutionStore store) => _store = store;

    /// <summary>Set when the request answers with something an earlier request committed to this execution (a retried
    /// checkpoint's cached response) although it writes nothing itself: its answer then waits until that is durable.</summary>
    public string? AnswersFromEarlierCommitsOf { get; set; }

    /// <summary>The request's record of an execution: the one already loaded or inserted, else the store's, journaled.</summary>
    public ExecutionRecord? Load(string durableExecutionArn)
    {
        if (_loaded.TryGetValue(durableExecutionArn, out var record))
        {
            return record;
        }

        record = _store.Open(durableExecutionArn);
        if (record is not null)
        {
            record.BeginChanges();
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

    /// <summary>The ARNs of the staged executions that are closed now (before <see cref="Commit"/>), or null when none is.</summary>
    public List<string>? StagedClosed()
    {
        List<string>? closed = null;
        foreach (var record in _inserted)
        {
            if (record.IsClosed)
            {
                (closed ??= new()).Add(record.DurableExecutionArn);
            }
        }

        foreach (var record in _saved)
        {
            if (record.IsClosed)
            {
                (closed ??= new()).Add(record.DurableExecutionArn);
            }
        }

        return closed;
    }

    /// <summary>Writes every staged change in one store transaction (nothing when nothing changed) and ends the
    /// journals. A record loaded but not saved is put back as it was: only what the request saved is kept, as when
    /// requests worked on copies.</summary>
    /// <returns>Completes when the commit is durable (the caller acknowledges nothing before).</returns>
    public Task Commit()
    {
        var durable = _inserted.Count > 0 || _saved.Count > 0 ? _store.Commit(_inserted, _saved)
            : AnswersFromEarlierCommitsOf is { } answered ? _store.WhenDurable(answered)
            : Task.CompletedTask;

        foreach (var (arn, record) in _loaded)
        {
            if (record.Changes is { } changes)
            {
                if (_staged.Contains(arn))
                {
                    record.EndChanges();
                }
                else
                {
                    changes.Undo(record);
                }
            }
        }

        Clear();
        AnswersFromEarlierCommitsOf = null;
        return durable;
    }

    /// <summary>Puts every loaded record back as it was when the request loaded it (the request or its commit
    /// failed: nothing of it was written).</summary>
    public void Rollback()
    {
        foreach (var record in _loaded.Values)
        {
            record.Changes?.Undo(record);
        }

        Clear();
    }

    private void Clear()
    {
        _inserted.Clear();
        _saved.Clear();
        _staged.Clear();
        _loaded.Clear();
    }
}
