using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>
/// The journal of one request that changes a stored <see cref="ExecutionRecord"/> in place: what the record was before
/// (its small members as a snapshot, the operations and bookkeeping entries as they were before their first change,
/// how many operations and events it had). A request's cost is then what it changes, not the history's length: no copy
/// of the execution is made to work on, <see cref="Undo"/> restores the record when the request fails, and the store
/// writes only <see cref="ChangedPositions"/> and the events from <see cref="EventCount"/> on.
/// </summary>
internal sealed class ExecutionChanges
{
    private readonly ExecutionRecord _before = new();
    private readonly Dictionary<int, Operation> _operations = new();
    private readonly Dictionary<string, OperationBookkeeping?> _bookkeeping = new(StringComparer.Ordinal);

    public ExecutionChanges(ExecutionRecord record)
    {
        _before.CopyScalarsFrom(record);
        OperationCount = record.Operations.Count;
        EventCount = record.Events.Count;
    }

    /// <summary>How many operations the record had before (later positions are new).</summary>
    public int OperationCount { get; }

    /// <summary>How many events the record had before (later ones are new).</summary>
    public int EventCount { get; }

    /// <summary>The store version the record had before.</summary>
    public long StoreVersion => _before.StoreVersion;

    /// <summary>Positions of the operations changed or added, ascending.</summary>
    public IEnumerable<int> ChangedPositions(ExecutionRecord record)
    {
        var changed = new List<int>(_operations.Keys);
        changed.Sort();
        foreach (var position in changed)
        {
            yield return position;
        }

        for (var position = OperationCount; position < record.Operations.Count; position++)
        {
            yield return position;
        }
    }

    /// <summary>Keeps the original of an existing operation before its first change.</summary>
    public void Touch(int position, Operation operation)
    {
        if (position < OperationCount && !_operations.ContainsKey(position))
        {
            _operations[position] = operation.Clone();
        }
    }

    /// <summary>Keeps the original of a bookkeeping entry (null: it did not exist) before its first change.</summary>
    public void TouchBookkeeping(string operationId, OperationBookkeeping? bookkeeping)
    {
        if (!_bookkeeping.ContainsKey(operationId))
        {
            _bookkeeping[operationId] = bookkeeping?.Clone();
        }
    }

    /// <summary>Puts the record back as it was when the journal began, and ends the journal.</summary>
    public void Undo(ExecutionRecord record)
    {
        record.CopyScalarsFrom(_before);
        if (record.Operations.Count > OperationCount)
        {
            record.Operations.RemoveRange(OperationCount, record.Operations.Count - OperationCount);
        }

        foreach (var (position, original) in _operations)
        {
            record.Operations[position] = original;
        }

        if (record.Events.Count > EventCount)
        {
            record.Events.RemoveRange(EventCount, record.Events.Count - EventCount);
        }

        foreach (var (operationId, original) in _bookkeeping)
        {
            if (original is null)
            {
                record.Bookkeeping.Remove(operationId);
            }
            else
            {
                record.Bookkeeping[operationId] = original;
            }
        }

        record.ResetIndexes();
        record.EndChanges();
    }
}
