using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>The <see cref="ExecutionIndexEntry"/> of every stored execution, in memory: what listing and scheduling
/// queries read. Both stores answer those queries from it (the SQLite store fills it from its table when it opens), so a
/// scheduling query never waits for a write that is still on its way to disk. Not thread-safe: the store's lock guards
/// it.</summary>
internal sealed class ExecutionIndex
{
    private readonly Dictionary<string, ExecutionIndexEntry> _entries = new(StringComparer.Ordinal);

    public bool Contains(string durableExecutionArn) => _entries.ContainsKey(durableExecutionArn);

    public void Set(ExecutionIndexEntry entry) => _entries[entry.DurableExecutionArn] = entry;

    public IReadOnlyList<ExecutionIndexEntry> ListByFunction(string functionName)
    {
        var result = new List<ExecutionIndexEntry>();
        foreach (var entry in _entries.Values)
        {
            if (string.Equals(entry.FunctionName, functionName, StringComparison.Ordinal))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    public IReadOnlyList<string> ListOpen()
    {
        var result = new List<string>();
        foreach (var entry in _entries.Values)
        {
            if (entry.Status == ExecutionStatus.Running)
            {
                result.Add(entry.DurableExecutionArn);
            }
        }

        return result;
    }

    public string? FindRunnable()
    {
        ExecutionIndexEntry? best = null;
        foreach (var entry in _entries.Values)
        {
            if (entry.IsRunnable && (best is null || entry.RunnableSequence < best.RunnableSequence))
            {
                best = entry;
            }
        }

        return best?.DurableExecutionArn;
    }

    /// <summary>Up to <paramref name="max"/> runnable executions, lowest <see cref="ExecutionIndexEntry.RunnableSequence"/>
    /// first (the order <see cref="FindRunnable()"/> picks them in one at a time).</summary>
    public IReadOnlyList<string> FindRunnable(int max)
    {
        var runnable = new List<ExecutionIndexEntry>();
        foreach (var entry in _entries.Values)
        {
            if (entry.IsRunnable)
            {
                runnable.Add(entry);
            }
        }

        runnable.Sort((a, b) => a.RunnableSequence.CompareTo(b.RunnableSequence));
        var result = new List<string>(Math.Min(max, runnable.Count));
        for (var i = 0; i < runnable.Count && i < max; i++)
        {
            result.Add(runnable[i].DurableExecutionArn);
        }

        return result;
    }

    public DateTimeOffset? GetNextDueTime()
    {
        DateTimeOffset? next = null;
        foreach (var entry in _entries.Values)
        {
            if (entry.NextDueTime is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }

    public IReadOnlyList<string> FindDue(DateTimeOffset now)
    {
        var due = new List<ExecutionIndexEntry>();
        foreach (var entry in _entries.Values)
        {
            if (entry.NextDueTime is { } next && next <= now)
            {
                due.Add(entry);
            }
        }

        due.Sort((a, b) => a.NextDueTime != b.NextDueTime
            ? a.NextDueTime!.Value.CompareTo(b.NextDueTime!.Value)
            : string.CompareOrdinal(a.DurableExecutionArn, b.DurableExecutionArn));
        return due.ConvertAll(e => e.DurableExecutionArn);
    }
}
