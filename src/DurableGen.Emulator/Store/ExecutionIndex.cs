using System;
using System.Collections.Generic;
using System.Threading;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>The <see cref="ExecutionIndexEntry"/> of every stored execution, in memory: what listing and scheduling
/// queries read. Both stores answer those queries from it (the SQLite store fills it from its table when it opens), so a
/// scheduling query never waits for a write that is still on its way to disk. Not thread-safe: the store's lock guards
/// it.</summary>
/// <remarks>The driver asks for the next runnable execution and the next due timer after every change, and a local
/// service keeps every execution it ever ran: the scheduling queries read ordered sets of the runnable and the timed
/// executions, so they cost O(log n) in the executions stored rather than a scan of all of them.</remarks>
internal sealed class ExecutionIndex
{
    private readonly Dictionary<string, ExecutionIndexEntry> _entries = new(StringComparer.Ordinal);
    private readonly SortedSet<ExecutionIndexEntry> _runnable = new(ByRunnableSequence.Instance);
    private readonly SortedSet<ExecutionIndexEntry> _timed = new(ByDueTime.Instance);
    private long _schedulingVersion;

    /// <summary>Changes whenever the next runnable execution or the earliest due time may have changed: a driver that
    /// saw the same version has nothing new to schedule. Written under the store's lock, read without it (a hint that
    /// is at worst one change late, and the change's own signal follows it).</summary>
    public long SchedulingVersion => Volatile.Read(ref _schedulingVersion);

    /// <summary>Whether an execution with this ARN is stored.</summary>
    public bool Contains(string durableExecutionArn) => _entries.ContainsKey(durableExecutionArn);

    /// <summary>Adds or replaces an execution's entry, moving it between the ordered sets as its runnability and due
    /// time say.</summary>
    public void Set(ExecutionIndexEntry entry)
    {
        var arn = entry.DurableExecutionArn;
        var had = _entries.TryGetValue(arn, out var old);
        _entries[arn] = entry;
        if (had && old!.IsRunnable == entry.IsRunnable && old.RunnableSequence == entry.RunnableSequence
            && old.NextDueTime == entry.NextDueTime)
        {
            return; // the common checkpoint: nothing the scheduler reads changed (the sets compare only these)
        }

        if (had && old!.IsRunnable)
        {
            _runnable.Remove(old);
        }

        if (had && old!.NextDueTime is not null)
        {
            _timed.Remove(old);
        }

        if (entry.IsRunnable)
        {
            _runnable.Add(entry);
        }

        if (entry.NextDueTime is not null)
        {
            _timed.Add(entry);
        }

        Volatile.Write(ref _schedulingVersion, _schedulingVersion + 1);
    }

    /// <summary>The entries of one function's executions (unqualified name), in no particular order.</summary>
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

    /// <summary>Every open execution, oldest start first (a host that fails orphaned invocations after a crash invokes
    /// them again in that order). A scan: it is asked once, when a service starts.</summary>
    public IReadOnlyList<string> ListOpen()
    {
        var open = new List<ExecutionIndexEntry>();
        foreach (var entry in _entries.Values)
        {
            if (entry.Status == ExecutionStatus.Running)
            {
                open.Add(entry);
            }
        }

        open.Sort((a, b) => a.StartTimestamp != b.StartTimestamp
            ? a.StartTimestamp.CompareTo(b.StartTimestamp)
            : string.CompareOrdinal(a.DurableExecutionArn, b.DurableExecutionArn));
        return open.ConvertAll(e => e.DurableExecutionArn);
    }

    /// <summary>The runnable execution with the lowest <see cref="ExecutionIndexEntry.RunnableSequence"/>.</summary>
    public string? FindRunnable() => _runnable.Count == 0 ? null : _runnable.Min!.DurableExecutionArn;

    /// <summary>Up to <paramref name="max"/> runnable executions, lowest <see cref="ExecutionIndexEntry.RunnableSequence"/>
    /// first (the order <see cref="FindRunnable()"/> picks them in one at a time).</summary>
    public IReadOnlyList<string> FindRunnable(int max)
    {
        var result = new List<string>(Math.Min(max, _runnable.Count));
        foreach (var entry in _runnable)
        {
            if (result.Count == max)
            {
                break;
            }

            result.Add(entry.DurableExecutionArn);
        }

        return result;
    }

    /// <summary>The earliest due time among open executions.</summary>
    public DateTimeOffset? GetNextDueTime() => _timed.Count == 0 ? null : _timed.Min!.NextDueTime;

    /// <summary>The executions with a timer due at <paramref name="now"/>, earliest first (ties by ARN).</summary>
    public IReadOnlyList<string> FindDue(DateTimeOffset now)
    {
        var due = new List<string>();
        foreach (var entry in _timed)
        {
            if (entry.NextDueTime > now)
            {
                break;
            }

            due.Add(entry.DurableExecutionArn);
        }

        return due;
    }

    /// <summary>Runnable order: sequence, then ARN (sequences are unique per store; the ARN keeps the order total).</summary>
    private sealed class ByRunnableSequence : IComparer<ExecutionIndexEntry>
    {
        public static readonly ByRunnableSequence Instance = new();

        public int Compare(ExecutionIndexEntry? x, ExecutionIndexEntry? y)
        {
            var bySequence = x!.RunnableSequence.CompareTo(y!.RunnableSequence);
            return bySequence != 0 ? bySequence : string.CompareOrdinal(x.DurableExecutionArn, y.DurableExecutionArn);
        }
    }

    /// <summary>Timer order: due time, then ARN.</summary>
    private sealed class ByDueTime : IComparer<ExecutionIndexEntry>
    {
        public static readonly ByDueTime Instance = new();

        public int Compare(ExecutionIndexEntry? x, ExecutionIndexEntry? y)
        {
            var byDue = x!.NextDueTime!.Value.CompareTo(y!.NextDueTime!.Value);
            return byDue != 0 ? byDue : string.CompareOrdinal(x.DurableExecutionArn, y.DurableExecutionArn);
        }
    }
}
