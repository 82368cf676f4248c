using System;
using System.Collections.Generic;

namespace DurableGen.Emulator.Store;

/// <summary>
/// Persists whole-execution aggregates. <see cref="Load"/> returns a private working copy; changes become visible only
/// through <see cref="Commit"/> (or its one-record forms <see cref="Insert"/> and <see cref="Save"/>), so a request that
/// fails validation simply never writes. The engine commits everything one request changed — a caller and the
/// chained-invoke children it starts, stops or receives a result from — in one <see cref="Commit"/>, so a crash
/// never leaves one side written without the other. The engine serializes all calls under its own lock;
/// implementations still must not hand out shared mutable state.
/// <para>Its members are internal: a host picks a store (<see cref="InMemoryExecutionStore"/>,
/// <see cref="SqliteExecutionStore"/>) and hands it to the engine; only the engine reads and writes execution records,
/// so their shape is free to change and no host can write a record the engine's rules did not produce.</para>
/// </summary>
public interface IExecutionStore
{
    /// <summary>Loads a working copy of an execution, or null when the ARN is unknown.</summary>
    internal ExecutionRecord? Load(string durableExecutionArn);

    /// <summary>Adds a new execution; throws <see cref="InvalidOperationException"/> when the ARN exists.</summary>
    internal void Insert(ExecutionRecord record) => Commit([record], []);

    /// <summary>Replaces a stored execution with <paramref name="record"/> and advances its
    /// <see cref="ExecutionRecord.StoreVersion"/>; throws <see cref="InvalidOperationException"/> when the execution was
    /// saved since <paramref name="record"/> was loaded (a lost update) or does not exist.</summary>
    internal void Save(ExecutionRecord record) => Commit([], [record]);

    /// <summary>Adds <paramref name="inserts"/> and replaces <paramref name="saves"/> (each execution at most once; advancing each one's
    /// <see cref="ExecutionRecord.StoreVersion"/>) all or nothing: when any insert exists already, any save is stale
    /// (saved since it was loaded) or missing, or the write fails, nothing is written, no version advances and the
    /// error is thrown (<see cref="InvalidOperationException"/> for the first three).</summary>
    internal void Commit(IReadOnlyList<ExecutionRecord> inserts, IReadOnlyList<ExecutionRecord> saves);

    /// <summary>The index entries of every execution of a function (unqualified name), in no particular order.</summary>
    internal IReadOnlyList<ExecutionIndexEntry> ListByFunction(string functionName);

    /// <summary>ARNs of every open (RUNNING) execution, in no particular order.</summary>
    internal IReadOnlyList<string> ListOpen();

    /// <summary>The runnable execution (no active invocation) with the lowest <see cref="ExecutionRecord.RunnableSequence"/>.</summary>
    internal string? FindRunnable();

    /// <summary>The earliest <see cref="ExecutionIndexEntry.NextDueTime"/> among open executions.</summary>
    internal DateTimeOffset? GetNextDueTime();

    /// <summary>ARNs of open executions whose next timer is due at or before <paramref name="now"/>, earliest
    /// <see cref="ExecutionIndexEntry.NextDueTime"/> first (ties by ARN).</summary>
    internal IReadOnlyList<string> FindDue(DateTimeOffset now);

    /// <summary>Returns a new value of a store-wide increasing sequence (orders runnable executions).</summary>
    internal long NextSequence();

    /// <summary>The 32-byte secret the engine seals callback ids with: random, made once, and kept as long as the
    /// executions are, so an id issued before a restart still opens after it.</summary>
    internal byte[] CallbackKey { get; }
}
