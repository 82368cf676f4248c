using System;
using System.Collections.Generic;

namespace DurableGen.Emulator;

/// <summary>
/// Persists whole-execution aggregates. <see cref="Load"/> returns a private working copy; changes become visible only
/// through <see cref="Commit"/> (or its one-record forms <see cref="Insert"/> and <see cref="Save"/>), so a request that
/// fails validation simply never writes. The engine commits everything one request changed — a caller and the
/// chained-invoke children it starts, stops or receives a result from — in one <see cref="Commit"/>, so a crash
/// never leaves one side written without the other. The engine serializes all calls under its own lock;
/// implementations still must not hand out shared mutable state.
/// </summary>
public interface IExecutionStore
{
    /// <summary>Loads a working copy of an execution, or null when the ARN is unknown.</summary>
    ExecutionRecord? Load(string durableExecutionArn);

    /// <summary>Adds a new execution; throws <see cref="InvalidOperationException"/> when the ARN exists.</summary>
    void Insert(ExecutionRecord record);

    /// <summary>Replaces a stored execution with <paramref name="record"/> and advances its
    /// <see cref="ExecutionRecord.StoreVersion"/>; throws <see cref="InvalidOperationException"/> when the execution was
    /// saved since <paramref name="record"/> was loaded (a lost update) or does not exist.</summary>
    void Save(ExecutionRecord record);

    /// <summary>Adds <paramref name="inserts"/> and replaces <paramref name="saves"/> (each execution at most once; advancing each one's
    /// <see cref="ExecutionRecord.StoreVersion"/>) all or nothing: when any insert exists already, any save is stale
    /// (saved since it was loaded) or missing, or the write fails, nothing is written, no version advances and the
    /// error is thrown (<see cref="InvalidOperationException"/> for the first three).</summary>
    void Commit(IReadOnlyList<ExecutionRecord> inserts, IReadOnlyList<ExecutionRecord> saves);

    /// <summary>The index entries of every execution of a function (unqualified name), in no particular order.</summary>
    IReadOnlyList<ExecutionIndexEntry> ListByFunction(string functionName);

    /// <summary>ARNs of every open (RUNNING) execution, in no particular order.</summary>
    IReadOnlyList<string> ListOpen();

    /// <summary>The runnable execution (no active invocation) with the lowest <see cref="ExecutionRecord.RunnableSequence"/>.</summary>
    string? FindRunnable();

    /// <summary>The earliest <see cref="ExecutionIndexEntry.NextDueTime"/> among open executions.</summary>
    DateTimeOffset? GetNextDueTime();

    /// <summary>ARNs of open executions whose next timer is due at or before <paramref name="now"/>, earliest
    /// <see cref="ExecutionIndexEntry.NextDueTime"/> first (ties by ARN).</summary>
    IReadOnlyList<string> FindDue(DateTimeOffset now);

    /// <summary>Returns a new value of a store-wide increasing sequence (orders runnable executions).</summary>
    long NextSequence();
}
