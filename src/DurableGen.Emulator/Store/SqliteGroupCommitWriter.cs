using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace DurableGen.Emulator.Store;

/// <summary>
/// The one writer of a <see cref="SqliteExecutionStore"/>: a thread with its own connection that writes queued commits
/// in queue order, all the commits that queued while the previous transaction was being made durable in one
/// transaction (group commit). With <c>synchronous=FULL</c> a WAL transaction costs one fsync however many commits it
/// holds, so concurrent sandboxes share fsyncs; each commit's task completes only once its transaction is on disk, so
/// nothing is acknowledged that a kill -9 could take back. A failed write faults every commit not yet durable and every
/// later one: the store's memory is then ahead of its file, and only a restart (which reads the file) is safe.
/// </summary>
internal sealed class SqliteGroupCommitWriter : IDisposable
{
    /// <summary>At most this many commits share a transaction (bounds the time until the first of them is acknowledged).</summary>
    private const int MaxBatch = 256;

    private readonly object _gate = new();
    private readonly Queue<Commit> _queue = new();
    private readonly SqliteConnection _connection;
    private readonly Thread _thread;
    private readonly SqliteCommand _execution;
    private readonly SqliteCommand _operation;
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _sequence;
    private Task _last = Task.CompletedTask;
    private Exception? _fault;
    private bool _stopping;

    public SqliteGroupCommitWriter(SqliteConnection connection)
    {
        _connection = connection;
        _execution = Prepare("""
            INSERT OR REPLACE INTO executions (arn, function_name, execution_name, function_arn, version, status, start_ms,
                end_ms, runnable, runnable_seq, next_due_ms, record, deferred_event)
            VALUES ($arn, $fn, $name, $farn, $version, $status, $start, $end, $runnable, $seq, $due, $record, $deferred);
            """, "$arn", "$fn", "$name", "$farn", "$version", "$status", "$start", "$end", "$runnable", "$seq", "$due",
            "$record", "$deferred");
        _operation = Prepare("INSERT OR REPLACE INTO operations (arn, position, operation) VALUES ($arn, $position, $json);",
            "$arn", "$position", "$json");
        _event = Prepare("INSERT OR REPLACE INTO events (arn, position, event) VALUES ($arn, $position, $json);",
            "$arn", "$position", "$json");
        _sequence = Prepare("UPDATE meta SET value = $value WHERE key = 'sequence';", "$value");
        _thread = new Thread(Run) { IsBackground = true, Name = "DurableGen SQLite writer" };
        _thread.Start();
    }

    /// <summary>Queues one commit's rows (written in one transaction with whatever else is queued); the task completes
    /// when they are durable. Throws when an earlier write failed.</summary>
    public Task Enqueue(IReadOnlyList<SqliteRow> rows)
    {
        var commit = new Commit(rows);
        lock (_gate)
        {
            ThrowIfFaulted();
            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Enqueue(commit);
            _last = commit.Durable.Task;
            Monitor.Pulse(_gate);
        }

        return commit.Durable.Task;
    }

    /// <summary>Completes when every commit queued so far is durable.</summary>
    public Task WhenDurable()
    {
        lock (_gate)
        {
            return _last;
        }
    }

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

    /// <summary>Writes what is queued, then stops the thread (the connection stays open for the owner to close).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        foreach (var command in new[] { _execution, _operation, _event, _sequence })
        {
            command.Dispose();
        }
    }

    private void Run()
    {
        var batch = new List<Commit>(MaxBatch);
        while (true)
        {
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                while (_queue.Count > 0 && batch.Count < MaxBatch)
                {
                    batch.Add(_queue.Dequeue());
                }
            }

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
                }

                foreach (var commit in batch)
                {
                    commit.Durable.TrySetException(ex);
                }

                return;
            }

            foreach (var commit in batch)
            {
                commit.Durable.TrySetResult();
            }

            batch.Clear();
        }
    }

    private void Write(List<Commit> batch)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var command in new[] { _execution, _operation, _event, _sequence })
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
                    SqliteRowKind.Event => _event,
                    _ => _sequence,
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
