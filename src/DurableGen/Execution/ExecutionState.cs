using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DurableGen.Protocol;

namespace DurableGen.Execution;

/// <summary>
/// The operation records of one invocation, keyed by id: loaded from the envelope and state pages, then kept current
/// by merging every checkpoint response. Also tracks whether the workflow is still replaying completed work.
/// </summary>
internal sealed class ExecutionState
{
    private readonly ConcurrentDictionary<string, Operation> _operations;
    private readonly ConcurrentDictionary<string, byte> _terminalAtLoad;
    private int _terminalNotYetVisited;
    private volatile bool _replaying;

    /// <summary>Creates an empty state sized for about <paramref name="expectedRecords"/> records.</summary>
    public ExecutionState(int expectedRecords = 0)
    {
        // Sized up front: growing a ConcurrentDictionary re-allocates every node, which made replay of 10,000-record
        // histories cost more per operation than short ones (see tests/DurableGen.Benchmarks).
        var capacity = Math.Max(expectedRecords + expectedRecords / 4, 31);
        _operations = new ConcurrentDictionary<string, Operation>(Environment.ProcessorCount, capacity, StringComparer.Ordinal);
        _terminalAtLoad = new ConcurrentDictionary<string, byte>(Environment.ProcessorCount, capacity, StringComparer.Ordinal);
    }

    /// <summary>Adds records loaded before the workflow starts (later duplicates overwrite earlier ones).</summary>
    public void Load(IEnumerable<Operation>? operations)
    {
        Merge(operations);
        foreach (var operation in _operations.Values)
        {
            if (operation.Type != OperationType.Execution && Operation.IsTerminal(operation.Status))
            {
                _terminalAtLoad.TryAdd(operation.Id, 0);
            }
        }

        _terminalNotYetVisited = _terminalAtLoad.Count;
        _replaying = _terminalNotYetVisited > 0;
    }

    /// <summary>Merges records the service sent back.</summary>
    public void Merge(IEnumerable<Operation>? operations)
    {
        if (operations is null)
        {
            return;
        }

        foreach (var operation in operations)
        {
            if (!string.IsNullOrEmpty(operation.Id))
            {
                _operations[operation.Id] = operation;
            }
        }
    }

    /// <summary>The record at <paramref name="id"/>, if any.</summary>
    public Operation? Get(string id) => _operations.TryGetValue(id, out var operation) ? operation : null;

    /// <summary>All records (unordered).</summary>
    public ICollection<Operation> All => _operations.Values;

    /// <summary>
    /// Whether the workflow is still re-running operations that completed in earlier invocations. It turns false once
    /// every terminal record has been visited, and never turns true again.
    /// </summary>
    public bool IsReplaying => _replaying;

    /// <summary>
    /// Notes that the workflow reached <paramref name="id"/>. Only records that were terminal when the invocation
    /// started count: one completed by a checkpoint response during this invocation is new work, not replay.
    /// </summary>
    public void TrackReplay(string id)
    {
        if (_replaying && _terminalAtLoad.TryRemove(id, out _) && Interlocked.Decrement(ref _terminalNotYetVisited) <= 0)
        {
            _replaying = false;
        }
    }

    /// <summary>
    /// Throws when the record at <paramref name="id"/> was written by a different operation: another type, or another
    /// name or sub-kind where both sides have one.
    /// </summary>
    public void ValidateReplayConsistency(string id, OperationType type, string? name, string? subType) =>
        ValidateReplayConsistency(Get(id), id, type, name, subType);

    /// <summary>The same check against a record the caller already looked up.</summary>
    public static void ValidateReplayConsistency(Operation? record, string id, OperationType type, string? name,
        string? subType)
    {
        if (record is null)
        {
            return;
        }

        if (record.Type != OperationType.Unknown && record.Type != type)
        {
            throw new NonDeterministicExecutionException(
                $"Operation {id}: the workflow now calls a {type} operation where the history has a {record.Type} operation. " +
                "Durable calls must happen in the same order on every replay.");
        }

        if (name is not null && record.Name is not null && name != record.Name)
        {
            throw new NonDeterministicExecutionException(
                $"Operation {id}: the workflow now calls an operation named '{name}' where the history has '{record.Name}'. " +
                "Durable calls must happen in the same order on every replay.");
        }

        if (subType is not null && record.SubType is not null && subType != record.SubType)
        {
            throw new NonDeterministicExecutionException(
                $"Operation {id}: the workflow now calls a {subType} operation where the history has a {record.SubType} operation.");
        }
    }
}
