using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace DurableGen.Emulator.Store;

/// <summary>
/// The one writer connection of a <see cref="SqliteExecutionStore"/>, and the one thread that writes through it: commits
/// are written in queue order, all the commits that queued while the previous transaction was being written in one
/// transaction (group commit), so concurrent sandboxes share a transaction's fixed costs (with
/// <see cref="CommitDurability.PowerLoss"/>, its fsync). Each commit's task completes only once its transaction is in
/// the WAL (and, syncing, on the disk), so nothing is acknowledged that a kill -9 could take back. A failed write faults
/// every commit not yet durable and every later one: the store's memory is then ahead of its file, and only a restart
/// (which reads the file) is safe.
/// </summary>
/// <remarks>Only this thread writes. Callers used to write their own commit when no write was in progress: a thread
/// switch saved, but a request's thread-pool thread held through the fsync, and a second path through the writer.
/// Against that, over six alternating pairs (`--local-service --stores sqlite`, medians): a function in its own process,
/// as <c>durablegen run</c> hosts it, 1.08× the executions per second; four in-process sandboxes 1.03× at 0.94× the CPU;
/// one in-process sandbox, which shares its thread pool with the service, 0.82×; more thread switches in every case
/// (tests/DurableGen.Benchmarks/README.md).</remarks>
internal sealed class SqliteGroupCommitWriter : IDisposable
{
    /// <summary>At most this many commits share a transaction (bounds the time until the first of them is acknowledged).</summary>
    private const int MaxBatch = 256;

    /// <summary>Rows written since the last WAL checkpoint after which the next one is due (about a page each; SQLite's
    /// own automatic checkpoint comes at 1,000 pages).</summary>
    private const int CheckpointAfterRows = 1000;

    /// <summary>A checkpoint pass that copied at most this many frames was short enough that few were written during it:
    /// the writer copies the rest (see <see cref="RunCheckpoints"/>).</summary>
    private const int TailFrames = 64;

    /// <summary>The most passive passes per checkpoint (under a write rate the disk cannot keep up with, they would not
    /// converge).</summary>
    private const int MaxPassesPerCheckpoint = 8;

    /// <summary>The size of the WAL, in frames, past which the writer copies the rest itself so that the log starts again
    /// (64 MiB of 4 KiB pages): see <see cref="RunCheckpoints"/>.</summary>
    public const long DefaultRestartAfterFrames = 16_384;

    /// <summary>The writer thread's name, as the operating system shows it.</summary>
    public const string WriterThreadName = "SQLite writer";

    /// <summary>Copies the committed frames no reader needs in the WAL into the database file, without waiting for anyone.</summary>
    private const string PassiveCheckpoint = "PRAGMA wal_checkpoint(PASSIVE);";

    private readonly object _gate = new();
    private readonly Queue<Commit> _queue = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteConnection _checkpointConnection;
    private readonly Thread _thread;
    private readonly Thread _checkpointer;
    private readonly AutoResetEvent _checkpointWake = new(false);
    private readonly SqliteCommand _execution;
    private readonly SqliteCommand _operation;
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _finishCheckpoint;

    private readonly long _restartAfterFrames;

    private Exception? _fault;
    private bool _stopping;
    private int _rowsSinceCheckpoint;
    private int _writerCheckpoints;
    private bool _checkpointTailDue;

    /// <summary>Writes through <paramref name="connection"/> (its automatic WAL checkpoint turned off) and checkpoints the
    /// WAL through <paramref name="checkpointConnection"/> on a thread of its own. SQLite's automatic checkpoint runs in
    /// the commit that crosses its threshold, so one commit in a few hundred waited for a thousand pages to be copied
    /// and the database file synced (the checkpoint tail of every latency percentile); a passive checkpoint on another
    /// connection copies them while commits go on. The writer makes the WAL start again only once it holds
    /// <paramref name="restartAfterFrames"/> frames (see <see cref="RunCheckpoints"/>).</summary>
    public SqliteGroupCommitWriter(SqliteConnection connection, SqliteConnection checkpointConnection, long restartAfterFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(restartAfterFrames);
        _connection = connection;
        _checkpointConnection = checkpointConnection;
        _restartAfterFrames = restartAfterFrames;
        using (var autocheckpoint = connection.CreateCommand())
        {
            autocheckpoint.CommandText = "PRAGMA wal_autocheckpoint=0;";
            autocheckpoint.ExecuteNonQuery();
        }

        // The JSON columns arrive as UTF-8 bytes and are stored as TEXT by the CAST (SQLite reads a blob cast to text in
        // the database's encoding, UTF-8): bound as .NET strings, each row's JSON was transcoded from the serializer's
        // UTF-8 to a string and back to UTF-8 for SQLite, 18 % of the bytes a four-sandbox run allocated (stop 29).
        // An upsert changes the row where it is. INSERT OR REPLACE deleted it and inserted it again under a new rowid at
        // the table's end, so every commit of an execution touched its old page, the last page and the arn index.
        _execution = Prepare("""
            INSERT INTO executions (arn, function_name, execution_name, function_arn, version, status, start_ms,
                end_ms, runnable, runnable_seq, next_due_ms, record, deferred_event)
            VALUES ($arn, $fn, $name, $farn, $version, $status, $start, $end, $runnable, $seq, $due, CAST($record AS TEXT),
                CAST($deferred AS TEXT))
            ON CONFLICT (arn) DO UPDATE SET function_name = excluded.function_name, execution_name = excluded.execution_name,
                function_arn = excluded.function_arn, version = excluded.version, status = excluded.status,
                start_ms = excluded.start_ms, end_ms = excluded.end_ms, runnable = excluded.runnable,
                runnable_seq = excluded.runnable_seq, next_due_ms = excluded.next_due_ms, record = excluded.record,
                deferred_event = excluded.deferred_event;
            """, "$arn", "$fn", "$name", "$farn", "$version", "$status", "$start", "$end", "$runnable", "$seq", "$due",
            "$record", "$deferred");
        _operation = Prepare("""
            INSERT INTO operations (arn, position, operation) VALUES ($arn, $position, CAST($json AS TEXT))
            ON CONFLICT (arn, position) DO UPDATE SET operation = excluded.operation;
            """,
            "$arn", "$position", "$json");
        _event = Prepare("INSERT OR REPLACE INTO events (arn, position, event) VALUES ($arn, $position, CAST($json AS TEXT));",
            "$arn", "$position", "$json");
        _finishCheckpoint = Prepare(PassiveCheckpoint);
        // Linux keeps 15 characters of a thread's name: these two stay apart in top -H, perf and /proc (the benchmark
        // reads the writer's CPU time by its name).
        _thread = new Thread(Run) { IsBackground = true, Name = WriterThreadName };
        _thread.Start();
        _checkpointer = new Thread(RunCheckpoints) { IsBackground = true, Name = "SQLite WAL copy" };
        _checkpointer.Start();
    }

    /// <summary>Queues one commit's rows (written in one transaction with whatever else is queued, in queue order); the
    /// task completes when they are durable. Throws when an earlier write failed. Cheap enough to call under the
    /// caller's locks: it only wakes the writer thread, which is the one waiter on the gate (a busy writer takes the
    /// queue when its transaction is done).</summary>
    public Task Enqueue(IReadOnlyList<SqliteRow> rows)
    {
        var commit = new Commit(rows);
        lock (_gate)
        {
            ThrowIfFaulted();
            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Enqueue(commit);
            Monitor.Pulse(_gate);
        }

        return commit.Durable.Task;
    }

    /// <summary>How many times the writer copied the end of the WAL itself, holding the commits queued meanwhile, so that
    /// the log could start again.</summary>
    internal int WriterCheckpoints => Volatile.Read(ref _writerCheckpoints);

    /// <summary>Throws the failure of an earlier write, if any.</summary>
    public void ThrowIfFaulted()
    {
        lock (_gate)
        {
            if (_fault is not null)
            {
                throw new InvalidOperationException(
                    "An earlier write to the execution database failed; restart the service to continue from the file.", _fault);
            }
        }
    }

    /// <summary>Writes what is queued, then stops the threads (the connections stay open for the owner to close).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _checkpointWake.Set();
        _thread.Join();
        _checkpointer.Join();
        foreach (var command in new[] { _execution, _operation, _event, _finishCheckpoint })
        {
            command.Dispose();
        }

        _checkpointWake.Dispose();
    }

    /// <summary>The writer thread: writes whatever queued as one transaction, acknowledges it, and finishes a WAL
    /// checkpoint when one is due, until stopped with nothing left to write or until a write fails.</summary>
    private void Run()
    {
        while (true)
        {
            List<Commit> batch;
            bool finishCheckpoint;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_checkpointTailDue && !_stopping && _fault is null)
                {
                    Monitor.Wait(_gate);
                }

                if (_fault is not null || (_queue.Count == 0 && !_checkpointTailDue))
                {
                    return; // stopped with nothing left to write
                }

                finishCheckpoint = _checkpointTailDue;
                _checkpointTailDue = false;
                batch = TakeBatch();
            }

            if (batch.Count > 0 && !WriteAndComplete(batch))
            {
                return;
            }

            if (finishCheckpoint)
            {
                FinishCheckpoint(); // after the answers: none of them waits for the copy and a sync of the database file
            }
        }
    }

    /// <summary>Copies the frames written since the checkpoint thread's last pass, between two transactions of the only
    /// writer, so the WAL is wholly in the database file and the next transaction starts it again from its beginning:
    /// a WAL that is never wholly copied only grows.</summary>
    private void FinishCheckpoint()
    {
        Interlocked.Increment(ref _writerCheckpoints);
        try
        {
            _finishCheckpoint.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // A reader still in the WAL: a later round finishes it.
        }
    }

    /// <summary>The checkpoint thread: copies the WAL's committed pages into the database file whenever enough rows
    /// were written since the last copy, as passive checkpoints (they never block a writer, and a writer never waits for
    /// them) repeated until one copied at most <see cref="TailFrames"/>. A pass that copies the whole WAL while the
    /// writer is idle lets the writer's next transaction start the log again by itself. A load that never leaves the
    /// writer idle that long needs the writer to copy the last frames between two of its transactions
    /// (<see cref="FinishCheckpoint"/>), which syncs the WAL and the database file while every commit queued meanwhile
    /// waits (2-16 ms here). That pass used to follow every checkpoint, every thousand rows: about once per 40
    /// executions of four busy sandboxes, each time holding all four sandboxes' checkpoints, the largest part of the
    /// checkpoint p99 (tests/DurableGen.Benchmarks/README.md, stop 29). It now comes only once the WAL holds its
    /// budget of frames, which bounds the file at about that size. After a single pass that copied thousands of frames,
    /// the writer's pass had those written during it to copy as well (stop 27). The store truncates the WAL when it
    /// closes.</summary>
    private void RunCheckpoints()
    {
        using var checkpoint = _checkpointConnection.CreateCommand();
        checkpoint.CommandText = PassiveCheckpoint;
        while (true)
        {
            _checkpointWake.WaitOne(); // set when a checkpoint is due, and to stop
            lock (_gate)
            {
                if (_stopping || _fault is not null)
                {
                    return;
                }
            }

            var restartDue = false;
            try
            {
                // Pass after pass, each copies what was written during the one before, so the few frames left for the
                // writer's own pass (which every commit queued meanwhile waits for) are the ones of a short pass.
                long backfilled = 0;
                for (var pass = 0; pass < MaxPassesPerCheckpoint && !Volatile.Read(ref _stopping); pass++)
                {
                    using var reader = checkpoint.ExecuteReader();
                    reader.Read(); // busy (1 when it could not run), frames in the WAL, frames copied so far (-1 when busy)
                    var frames = reader.GetInt64(1);
                    var copiedSoFar = reader.GetInt64(2);
                    if (reader.GetInt64(0) != 0 || copiedSoFar < 0)
                    {
                        break;
                    }

                    // Fewer than before: the writer started the WAL again meanwhile, and all of these are new.
                    var copied = copiedSoFar >= backfilled ? copiedSoFar - backfilled : copiedSoFar;
                    backfilled = copiedSoFar;
                    restartDue = frames >= _restartAfterFrames;
                    if (copied <= TailFrames)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
            {
                // Housekeeping, not state: the pages stay in the WAL (readers read them there) and the next pass copies
                // them. Nothing a commit waits for depends on it.
            }

            if (restartDue)
            {
                lock (_gate)
                {
                    _checkpointTailDue = true; // the writer copies what was written meanwhile
                    Monitor.Pulse(_gate);
                }
            }
        }
    }

    /// <summary>Takes up to <see cref="MaxBatch"/> queued commits (under the lock).</summary>
    private List<Commit> TakeBatch()
    {
        var batch = new List<Commit>(Math.Min(_queue.Count, MaxBatch));
        while (_queue.Count > 0 && batch.Count < MaxBatch)
        {
            batch.Add(_queue.Dequeue());
        }

        return batch;
    }

    /// <summary>Writes one batch and completes its commits' tasks; false when the write failed (every commit not yet
    /// durable is then faulted, and the writer stops).</summary>
    private bool WriteAndComplete(List<Commit> batch)
    {
        try
        {
            Write(batch);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _fault = ex;
                batch.AddRange(_queue);
                _queue.Clear();
                Monitor.PulseAll(_gate);
                _checkpointWake.Set();
            }

            foreach (var commit in batch)
            {
                commit.Durable.TrySetException(ex);
            }

            return false;
        }

        foreach (var commit in batch)
        {
            _rowsSinceCheckpoint += commit.Rows.Count; // only this thread counts
        }

        if (_rowsSinceCheckpoint >= CheckpointAfterRows)
        {
            _rowsSinceCheckpoint = 0;
            _checkpointWake.Set();
        }

        foreach (var commit in batch)
        {
            commit.Durable.TrySetResult();
        }

        return true;
    }

    private void Write(List<Commit> batch)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var command in new[] { _execution, _operation, _event })
        {
            command.Transaction = transaction;
        }

        foreach (var commit in batch)
        {
            foreach (var row in commit.Rows)
            {
                var command = row.Kind switch
                {
                    SqliteRowKind.Execution => _execution,
                    SqliteRowKind.Operation => _operation,
                    _ => _event,
                };
                var values = row.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    command.Parameters[i].Value = values[i] ?? DBNull.Value;
                }

                command.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private sealed class Commit(IReadOnlyList<SqliteRow> rows)
    {
        public IReadOnlyList<SqliteRow> Rows { get; } = rows;

        public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
