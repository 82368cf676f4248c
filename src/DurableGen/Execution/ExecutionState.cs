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
/// <remarks>
/// Readers run concurrently (parallel and map branches) with one writer (the batcher's consumer merging responses), but
/// the loaded ids never change after <see cref="Load"/>: they live in a plain dictionary read without locks, each id's
/// current record in a mutable <see cref="Entry"/>. Only ids first seen in a response go to a concurrent dictionary,
/// which a pure replay never touches. Visits of loaded terminal records are counted with one interlocked exchange per
/// entry instead of removals from a locked set.
/// </remarks>
internal sealed class ExecutionState
{
    private readonly Dictionary<string, Entry> _loaded;
    private readonly ConcurrentDictionary<string, Entry> _added = new(StringComparer.Ordinal);
    private volatile bool _anyAdded;
    private int _terminalNotYetVisited;
    private volatile bool _replaying;

    /// <summary>Creates an empty state sized for about <paramref name="expectedRecords"/> records.</summary>
    public ExecutionState(int expectedRecords = 0)
    {
        // Sized up front: growing re-hashes every entry, which made replay of long histories cost more per operation.
        _loaded = new Dictionary<string, Entry>(Math.Max(expectedRecords, 0), StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds records loaded before the workflow starts (later duplicates overwrite earlier ones). Not thread-safe: it
    /// runs before any workflow code.
    /// </summary>
    public void Load(IEnumerable<Operation>? operations)
    {
        if (operations is not null)
        {
            foreach (var operation in operations)
            {
                if (string.IsNullOrEmpty(operation.Id))
                {
                    continue;
                }

                if (_loaded.TryGetValue(operation.Id, out var entry))
                {
                    entry.Record = operation;
                }
                else
                {
                    _loaded.Add(operation.Id, new Entry(operation));
                }
            }
        }

        var terminal = 0;
        foreach (var entry in _loaded.Values)
        {
            var operation = entry.Record;
            entry.TerminalAtLoad = operation.Type != OperationType.Execution && Operation.IsTerminal(operation.Status);
            if (entry.TerminalAtLoad && entry.Visited == 0)
            {
                terminal++;
            }
        }

        _terminalNotYetVisited = terminal;
        _replaying = terminal > 0;
    }

    /// <summary>Whether <paramref name="id"/>'s record was terminal when the invocation started.</summary>
    public bool WasTerminalAtLoad(string id) => _loaded.TryGetValue(id, out var entry) && entry.TerminalAtLoad;

    /// <summary>Merges records the service sent back.</summary>
    public void Merge(IEnumerable<Operation>? operations)
    {
        if (operations is null)
        {
            return;
        }

        foreach (var operation in operations)
        {
            if (string.IsNullOrEmpty(operation.Id))
            {
                continue;
            }

            if (_loaded.TryGetValue(operation.Id, out var entry) || _added.TryGetValue(operation.Id, out entry))
            {
                entry.Record = operation;
            }
            else
            {
                _added[operation.Id] = new Entry(operation);
                _anyAdded = true;
            }
        }
    }

    /// <summary>The record at <paramref name="id"/>, if any.</summary>
    public Operation? Get(string id) => Find(id)?.Record;

    /// <summary>
    /// <see cref="Get"/> and <see cref="TrackReplay"/> in one look-up: what every durable call does on arrival.
    /// </summary>
    public Operation? Visit(string id)
    {
        var entry = Find(id);
        if (entry is not null)
        {
            Track(entry);
        }

        return entry?.Record;
    }

    /// <summary>All records (unordered), as a snapshot.</summary>
    public ICollection<Operation> All
    {
        get
        {
            var all = new List<Operation>(_loaded.Count + (_anyAdded ? _added.Count : 0));
            foreach (var entry in _loaded.Values)
            {
                all.Add(entry.Record);
            }

            if (_anyAdded)
            {
                foreach (var entry in _added.Values)
                {
                    all.Add(entry.Record);
                }
            }

            return all;
        }
    }

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
        if (_replaying && _loaded.TryGetValue(id, out var entry))
        {
            Track(entry);
        }
    }

    private Entry? Find(string id)
    {
        if (_loaded.TryGetValue(id, out var entry))
        {
            return entry;
        }

        return _anyAdded && _added.TryGetValue(id, out entry) ? entry : null;
    }

    private void Track(Entry entry)
    {
        if (_replaying && entry.TerminalAtLoad && Interlocked.Exchange(ref entry.Visited, 1) == 0
            && Interlocked.Decrement(ref _terminalNotYetVisited) <= 0)
        {
            _replaying = false;
        }
    }

    /// <summary>One id's current record and its replay bookkeeping.</summary>
    private sealed class Entry(Operation record)
    {
        private volatile Operation _record = record;

        /// <summary>1 once the workflow reached this id (set with an interlocked exchange: branches race).</summary>
        public int Visited;

        public Operation Record
        {
            get => _record;
            set => _record = value;
        }

        /// <summary>Whether the record was terminal when the invocation started (written only by <see cref="Load"/>).</summary>
        public bool TerminalAtLoad { get; set; }
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
