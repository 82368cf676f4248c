using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace DurableGen.Emulator.Store;

/// <summary>
/// Persists whole-execution aggregates. <see cref="Load"/> returns a private working copy; <see cref="Open"/> returns
/// the stored record itself, which only the engine changes, in place, under its lock and a journal that undoes a
/// request that fails. Changes are persisted only through <see cref="Commit"/> (or its one-record forms
/// <see cref="Insert"/> and <see cref="Save"/>). The engine commits everything one request changed — a caller and the
/// chained-invoke children it starts, stops or receives a result from — in one <see cref="Commit"/>, so a crash
/// never leaves one side written without the other, and acknowledges nothing before that commit is durable.
/// <para>Its members are internal: a host picks a store (<see cref="InMemoryExecutionStore"/>,
/// <see cref="SqliteExecutionStore"/>) and hands it to the engine; only the engine reads and writes execution records,
/// so their shape is free to change and no host can write a record the engine's rules did not produce.</para>
/// </summary>
public interface IExecutionStore
{
    /// <summary>Loads a working copy of an execution, or null when the ARN is unknown.</summary>
    internal ExecutionRecord? Load(string durableExecutionArn);

    /// <summary>The stored execution itself (not a copy), or null when the ARN is unknown: for the engine, which reads it
    /// under its lock and changes it in place only inside an <see cref="ExecutionUnitOfWork"/> (journaled, committed or
    /// undone), so no request pays for copying a long history.</summary>
    internal ExecutionRecord? Open(string durableExecutionArn);

    /// <summary>The stored execution for a reader that changes nothing (the engine outside a request, under its lock),
    /// or null when the ARN is unknown: the record in memory when there is one, else one read for this reader alone.
    /// Unlike <see cref="Open"/>, a store that keeps only some records in memory does not start keeping this one.</summary>
    internal ExecutionRecord? Read(string durableExecutionArn) => Open(durableExecutionArn);

    /// <summary>Adds a new execution; throws <see cref="InvalidOperationException"/> when the ARN exists.</summary>
    internal void Insert(ExecutionRecord record) => Commit([record], []).GetAwaiter().GetResult();

    /// <summary>Replaces a stored execution with <paramref name="record"/> (a copy from <see cref="Load"/>, or the
    /// stored record itself changed in place under a journal) and advances its
    /// <see cref="ExecutionRecord.StoreVersion"/>; throws <see cref="InvalidOperationException"/> when the execution was
    /// saved since <paramref name="record"/> was loaded (a lost update) or does not exist.</summary>
    internal void Save(ExecutionRecord record) => Commit([], [record]).GetAwaiter().GetResult();

    /// <summary>Adds <paramref name="inserts"/> and replaces <paramref name="saves"/> (each execution at most once; advancing each one's
    /// <see cref="ExecutionRecord.StoreVersion"/>) all or nothing: when any insert exists already, any save is stale
    /// (saved since it was loaded) or missing, or the write fails, nothing is written, no version advances and the
    /// error is thrown (<see cref="InvalidOperationException"/> for the first three).</summary>
    /// <remarks>The changes are visible to every later call at once; the task completes when they are durable (at once
    /// in memory; for SQLite once the transaction holding them, which holds the commits made at the same time, is in its
    /// write-ahead log, and synced to the disk if the store was opened for <see cref="CommitDurability.PowerLoss"/>). A
    /// caller acknowledges a change to anyone outside only after the task completes; a failed durable write faults the
    /// task and leaves the store refusing further commits.</remarks>
    internal Task Commit(IReadOnlyList<ExecutionRecord> inserts, IReadOnlyList<ExecutionRecord> saves);

    /// <summary>Completes when every commit of the execution made so far is durable (for a reader about to answer with
    /// what it read of it).</summary>
    internal Task WhenDurable(string durableExecutionArn) => Task.CompletedTask;

    /// <summary>Up to <paramref name="max"/> index entries of a function's executions (unqualified name) that
    /// <paramref name="match"/> keeps (called under the store's lock), newest start first unless
    /// <paramref name="oldestFirst"/> (ties by ARN), starting right after <paramref name="after"/> when given.</summary>
    internal IReadOnlyList<ExecutionIndexEntry> ListByFunction(string functionName, bool oldestFirst, ExecutionListKey? after,
        Func<ExecutionIndexEntry, bool> match, int max);

    /// <summary>The index entry of the function's execution (unqualified name) with this execution name, if any.</summary>
    internal ExecutionIndexEntry? FindByName(string functionName, string executionName);

    /// <summary>ARNs of every open (RUNNING) execution, oldest start first.</summary>
    internal IReadOnlyList<string> ListOpen();

    /// <summary>The runnable execution (no active invocation) with the lowest <see cref="ExecutionRecord.RunnableSequence"/>.</summary>
    internal string? FindRunnable();

    /// <summary>Up to <paramref name="max"/> runnable executions (no active invocation), lowest
    /// <see cref="ExecutionRecord.RunnableSequence"/> first.</summary>
    internal IReadOnlyList<string> FindRunnable(int max);

    /// <summary>The earliest <see cref="ExecutionIndexEntry.NextDueTime"/> among open executions.</summary>
    internal DateTimeOffset? GetNextDueTime();

    /// <summary>ARNs of open executions whose next timer is due at or before <paramref name="now"/>, earliest
    /// <see cref="ExecutionIndexEntry.NextDueTime"/> first (ties by ARN).</summary>
    internal IReadOnlyList<string> FindDue(DateTimeOffset now);

    /// <summary>Returns a new value of a store-wide increasing sequence (orders runnable executions).</summary>
    internal long NextSequence();

    /// <summary>Changes whenever the runnable executions or the due times of open executions may have changed (what
    /// <see cref="FindRunnable()"/>, <see cref="GetNextDueTime"/> and <see cref="FindDue"/> answer).</summary>
    internal long SchedulingVersion { get; }

    /// <summary>The 32-byte secret the engine seals callback ids with: random, made once, and kept as long as the
    /// executions are, so an id issued before a restart still opens after it.</summary>
    internal byte[] CallbackKey { get; }
}
