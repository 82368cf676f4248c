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
/// executions, so they cost O(log n) in the executions stored rather than a scan of all of them. Listing reads each
/// function's executions kept in start order, from a page's marker on, so a page costs what it reads rather than a sort
/// of every execution of the function under the engine's lock (which the dashboard asked for on every change).</remarks>
internal sealed class ExecutionIndex
{
    private readonly Dictionary<string, Listed> _entries = new(StringComparer.Ordinal);
    private readonly SortedSet<ExecutionIndexEntry> _runnable = new(ByRunnableSequence.Instance);
    private readonly SortedSet<ExecutionIndexEntry> _timed = new(ByDueTime.Instance);

    // Per function, its executions in ascending key order. A new execution starts now, so it is added at or near the
    // end: the list stays a binary search and a memmove of a few slots. The list holds the same Listed objects as
    // _entries, so a filtered scan reads each current entry without hashing its ARN.
    private readonly Dictionary<string, List<Listed>> _byFunction = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Function, string Name), Listed> _byName = new();
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
        var had = _entries.TryGetValue(arn, out var listed);
        var old = listed?.Entry;
        if (had)
        {
            listed!.Entry = entry; // its function, name and start, which place it in the lists, never change
        }
        else
        {
            listed = new Listed(ExecutionListKey.Of(entry), entry);
            _entries[arn] = listed;
            List(listed);
        }

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

    /// <summary>Up to <paramref name="max"/> entries of one function's executions (unqualified name) that
    /// <paramref name="match"/> keeps, in start order (ties by ARN), newest first unless <paramref name="oldestFirst"/>,
    /// starting right after <paramref name="after"/> when given.</summary>
    public IReadOnlyList<ExecutionIndexEntry> ListByFunction(string functionName, bool oldestFirst, ExecutionListKey? after,
        Func<ExecutionIndexEntry, bool> match, int max)
    {
        var result = new List<ExecutionIndexEntry>();
        if (!_byFunction.TryGetValue(functionName, out var ordered))
        {
            return result;
        }

        var step = oldestFirst ? 1 : -1;
        var i = oldestFirst ? 0 : ordered.Count - 1;
        if (after is { } from)
        {
            var found = Search(ordered, from);
            i = found >= 0 ? found + step : oldestFirst ? ~found : ~found - 1;
        }

        for (; i >= 0 && i < ordered.Count && result.Count < max; i += step)
        {
            var entry = ordered[i].Entry;
            if (match(entry))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>The execution of a function (unqualified name) with this execution name, if any.</summary>
    public ExecutionIndexEntry? FindByName(string functionName, string executionName) =>
        _byName.TryGetValue((functionName, executionName), out var listed) ? listed.Entry : null;

    private void List(Listed listed)
    {
        var entry = listed.Entry;
        if (!_byFunction.TryGetValue(entry.FunctionName, out var ordered))
        {
            _byFunction[entry.FunctionName] = ordered = [];
        }

        // A new execution starts now: nearly always the last of its function.
        var at = ordered.Count == 0 || ordered[^1].Key.CompareTo(listed.Key) < 0 ? ~ordered.Count : Search(ordered, listed.Key);
        ordered.Insert(~at, listed); // not found: an ARN is listed once

        // The first execution of a name keeps it: a start that names an existing execution returns that one.
        _byName.TryAdd((entry.FunctionName, entry.ExecutionName), listed);
    }

    /// <summary>As <see cref="List{T}.BinarySearch(T)"/>, by key.</summary>
    private static int Search(List<Listed> sorted, ExecutionListKey key) =>
        sorted.BinarySearch(new Listed(key, null!), ByKey.Instance);

    /// <summary>An execution's current entry and its place in its function's list.</summary>
    private sealed class Listed(ExecutionListKey key, ExecutionIndexEntry entry)
    {
        public ExecutionListKey Key { get; } = key;

        public ExecutionIndexEntry Entry { get; set; } = entry;
    }

    /// <summary>List order: by <see cref="Listed.Key"/> alone (a search probe has no entry).</summary>
    private sealed class ByKey : IComparer<Listed>
    {
        public static readonly ByKey Instance = new();

        public int Compare(Listed? x, Listed? y) => x!.Key.CompareTo(y!.Key);
    }

    /// <summary>Every open execution, oldest start first (a host that fails orphaned invocations after a crash invokes
    /// them again in that order). A scan: it is asked once, when a service starts.</summary>
    public IReadOnlyList<string> ListOpen()
    {
        var open = new List<ExecutionIndexEntry>();
        foreach (var listed in _entries.Values)
        {
            var entry = listed.Entry;
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
