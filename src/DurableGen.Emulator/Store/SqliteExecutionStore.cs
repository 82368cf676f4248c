using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Microsoft.Data.Sqlite;

namespace DurableGen.Emulator.Store;

/// <summary>
/// An <see cref="IExecutionStore"/> in a SQLite file (WAL journal): a commit's task completes once the transaction
/// holding it is in the write-ahead log, so a service that stops, crashes or is killed loses no acknowledged execution,
/// callback or timer and never keeps half of a request — a new engine over the same file continues where the old one
/// stopped. With <see cref="CommitDurability.PowerLoss"/> the log is also synced to the disk before the task completes.
/// </summary>
/// <remarks>
/// <para>A commit writes what changed, not the aggregate: the record's scalar part as JSON next to the indexed columns
/// that listing and scheduling read, one row per operation the request changed or added (the record's journal, see
/// <see cref="ExecutionChanges"/>) and one row per new history event (events never change). Writing the whole aggregate
/// made each checkpoint cost grow with the history (35× slower at 2,000 steps than at the start); comparing every
/// operation's JSON still did (×4). Recently used executions stay in memory as the records the engine changes in place
/// (closed ones only while they are among the last to close), and the index columns of every execution are kept in
/// memory, so no load re-reads a history and no scheduling query waits for the disk.</para>
/// <para>Group commit: commits are prepared under the store's lock (rows serialized in commit order) and written by one
/// <see cref="SqliteGroupCommitWriter"/>, which puts every commit that queued while the previous transaction was written
/// into the next. Concurrent sandboxes share transactions (and, syncing every commit, fsyncs); none is acknowledged
/// before its transaction is durable: in the write-ahead log, and with <see cref="CommitDurability.PowerLoss"/> on the
/// disk.</para>
/// </remarks>
public sealed class SqliteExecutionStore : IExecutionStore, IDisposable
{
    private const int SchemaVersion = 2;
    private const int CacheCapacity = 1024;

    /// <summary>How many of the executions that closed last stay in memory (see
    /// <see cref="ForgetDurableClosedExecutions"/>).</summary>
    private const int RecentlyClosedKept = 32;

    private readonly object _gate = new();
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteConnection _readConnection;
    private readonly SqliteConnection _checkpointConnection;
    private readonly SqliteGroupCommitWriter _writer;
    private readonly byte[] _callbackKey;
    private readonly Dictionary<string, Cached> _cache = new(StringComparer.Ordinal);
    private readonly Queue<(string Arn, Task Durable)> _closedWrites = new();
    private readonly ExecutionIndex _index = new();
    private long _sequence;
    private long _uses;
    private bool _disposed;

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>, each commit synced to the disk
    /// before it is acknowledged (<see cref="CommitDurability.PowerLoss"/>, what this constructor always did).</summary>
    public SqliteExecutionStore(string path)
        : this(path, CommitDurability.PowerLoss)
    {
    }

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>; its commits are acknowledged
    /// once they survive what <paramref name="durability"/> says.</summary>
    public SqliteExecutionStore(string path, CommitDurability durability)
        : this(path, durability, SqliteGroupCommitWriter.DefaultRestartAfterFrames)
    {
    }

    /// <summary>As <see cref="SqliteExecutionStore(string, CommitDurability)"/>, with the size of the WAL (in frames)
    /// past which the writer makes it start again (a test's smaller budget).</summary>
    internal SqliteExecutionStore(string path, CommitDurability durability, long walRestartFrames)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        Path = System.IO.Path.GetFullPath(path);
        _writeConnection = OpenConnection(Path);
        // synchronous=NORMAL keeps the file consistent through a power cut only with a write-ahead log (a rollback
        // journal that is not synced can leave it corrupt), so a file that refuses WAL is not opened.
        var journal = Convert.ToString(Scalar(_writeConnection, "PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture);
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
        {
            _writeConnection.Dispose();
            throw new InvalidOperationException($"The database {Path} cannot use a write-ahead log (its journal mode stays '{journal}').");
        }

        Durability = durability;
        Execute(_writeConnection, durability == CommitDurability.PowerLoss ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        WriterSynchronous = Convert.ToInt64(Scalar(_writeConnection, "PRAGMA synchronous;"), CultureInfo.InvariantCulture);
        // The pages a commit changes are found in memory rather than read back from the file (SQLite's default cache is
        // 2 MB; an execution's rows are spread over the tables' B-trees by ARN). Not more: when a page split reorders
        // sibling pages, SQLite parks one at the lock-byte page's number (262,145), and the commit then scans the whole
        // page cache's hash table to drop pages past the end of the file. With 32 MB that scan was half the writer
        // thread's work (perf, four-sandbox benchmark); with 8 MB the writer used a fifth less CPU per execution.
        Execute(_writeConnection, "PRAGMA cache_size=-8192;");
        Execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS executions (
                arn TEXT PRIMARY KEY,
                function_name TEXT NOT NULL,
                execution_name TEXT NOT NULL,
                function_arn TEXT NOT NULL,
                version TEXT NOT NULL,
                status TEXT NOT NULL,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NULL,
                runnable INTEGER NOT NULL,
                runnable_seq INTEGER NOT NULL,
                next_due_ms INTEGER NULL,
                record TEXT NOT NULL,
                deferred_event TEXT NULL);
            CREATE TABLE IF NOT EXISTS operations (
                arn TEXT NOT NULL,
                position INTEGER NOT NULL,
                operation TEXT NOT NULL,
                PRIMARY KEY (arn, position)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS events (
                arn TEXT NOT NULL,
                position INTEGER NOT NULL,
                event TEXT NOT NULL,
                PRIMARY KEY (arn, position)) WITHOUT ROWID;
            DROP INDEX IF EXISTS ix_executions_function;
            DROP INDEX IF EXISTS ix_executions_runnable;
            DROP INDEX IF EXISTS ix_executions_due;
            INSERT OR IGNORE INTO meta (key, value) VALUES ('sequence', 0);
            CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
            """);
        using (var secret = _writeConnection.CreateCommand())
        {
            // A table of its own (not a schema change: older files gain it on open) so the callback key lives with
            // the executions whose ids it sealed.
            secret.CommandText = "INSERT OR IGNORE INTO secrets (name, value) VALUES ('callback-key', $k); SELECT value FROM secrets WHERE name = 'callback-key';";
            secret.Parameters.AddWithValue("$k", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            _callbackKey = (byte[])secret.ExecuteScalar()!;
        }

        int version;
        using (var command = _writeConnection.CreateCommand())
        {
            command.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', $v); SELECT value FROM meta WHERE key = 'schema';";
            command.Parameters.AddWithValue("$v", SchemaVersion);
            version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        if (version == 1)
        {
            MigrateFromVersion1();
        }
        else if (version != SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The database {Path} has schema version {version}; this build reads versions 1 and {SchemaVersion}.");
        }

        // Every sequence value that matters is an execution's runnable_seq, written with the commit that took it, so
        // the largest of them is where to go on (a value handed out to a request that failed may be handed out again).
        // The meta row is only read: files of earlier builds wrote the sequence there too.
        _sequence = Convert.ToInt64(Scalar(_writeConnection,
            "SELECT MAX((SELECT value FROM meta WHERE key = 'sequence'), IFNULL((SELECT MAX(runnable_seq) FROM executions), 0));"),
            CultureInfo.InvariantCulture);
        _readConnection = OpenConnection(Path);
        LoadIndex();
        _checkpointConnection = OpenConnection(Path);
        _writer = new SqliteGroupCommitWriter(_writeConnection, _checkpointConnection, walRestartFrames);
        BeforeWrite = TestFault.FromEnvironment(); // null unless a crash test set DURABLEGEN_TEST_FAULT
    }

    /// <summary>How many times the writer copied the end of the WAL itself (every commit queued meanwhile waited), so
    /// that the log could start again.</summary>
    internal int WriterCheckpoints => _writer.WriterCheckpoints;

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>What an acknowledged commit survives.</summary>
    public CommitDurability Durability { get; }

    /// <summary>The writer connection's <c>PRAGMA synchronous</c> (1 NORMAL, 2 FULL) as SQLite reported it when the store
    /// opened: the setting is per connection, and this is the one every commit is written through.</summary>
    internal long WriterSynchronous { get; }

    /// <summary>Called for each execution a commit writes, while the commit is prepared and before any of it is queued:
    /// a crash test throws from it to model the process dying at that point (nothing of that commit reaches the file,
    /// as SQLite rolls back a killed writer's transaction; earlier commits were durable before they were
    /// acknowledged), or <see cref="TestFault"/> kills the process there for real.</summary>
    internal Action<ExecutionRecord>? BeforeWrite { get; set; }

    /// <inheritdoc />
    ExecutionRecord? IExecutionStore.Open(string durableExecutionArn)
    {
        lock (_gate)
        {
            return Stored(durableExecutionArn, keep: true);
        }
    }

    /// <inheritdoc />
    ExecutionRecord? IExecutionStore.Read(string durableExecutionArn)
    {
        lock (_gate)
        {
            // Not kept: a closed execution read by whoever waited for it would otherwise stay in memory until the
            // cache filled, for every collection to copy.
            return Stored(durableExecutionArn, keep: false);
        }
    }

    /// <inheritdoc />
    byte[] IExecutionStore.CallbackKey => _callbackKey;

    /// <inheritdoc />
    ExecutionRecord? IExecutionStore.Load(string durableExecutionArn)
    {
        lock (_gate)
        {
            return Stored(durableExecutionArn, keep: true)?.Clone();
        }
    }

    /// <inheritdoc />
    Task IExecutionStore.Commit(IReadOnlyList<ExecutionRecord> inserts, IReadOnlyList<ExecutionRecord> saves)
    {
        ArgumentNullException.ThrowIfNull(inserts);
        ArgumentNullException.ThrowIfNull(saves);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer.ThrowIfFaulted();
            ForgetDurableClosedExecutions();
            foreach (var record in inserts)
            {
                if (_index.Contains(record.DurableExecutionArn))
                {
                    throw new InvalidOperationException($"Execution {record.DurableExecutionArn} already exists.");
                }
            }

            var previous = new ExecutionRecord[saves.Count];
            for (var i = 0; i < saves.Count; i++)
            {
                var record = saves[i];
                previous[i] = Stored(record.DurableExecutionArn, keep: true)
                              ?? throw new InvalidOperationException($"Execution {record.DurableExecutionArn} does not exist.");
                if (!ReferenceEquals(previous[i], record) && previous[i].StoreVersion != record.StoreVersion)
                {
                    throw ExecutionStoreConflict.Create(record, previous[i].StoreVersion);
                }
            }

            // Prepare every row before anything changes: a refused or failed preparation leaves the store as it was.
            var rows = new List<SqliteRow>();
            var advanced = 0;
            try
            {
                foreach (var record in inserts)
                {
                    BeforeWrite?.Invoke(record);
                    AddRows(rows, record, null);
                }

                for (var i = 0; i < saves.Count; i++)
                {
                    BeforeWrite?.Invoke(saves[i]);
                    saves[i].StoreVersion++;
                    advanced++;
                    AddRows(rows, saves[i], previous[i]);
                }
            }
            catch
            {
                for (var i = 0; i < advanced; i++)
                {
                    saves[i].StoreVersion--;
                }

                throw;
            }

            var durable = _writer.Enqueue(rows);
            foreach (var record in inserts)
            {
                Remember(record.Clone());
                _index.Set(record.ToIndexEntry());
            }

            for (var i = 0; i < saves.Count; i++)
            {
                var record = saves[i];
                if (!ReferenceEquals(previous[i], record))
                {
                    Remember(record.Clone());
                }

                _index.Set(record.ToIndexEntry());
            }

            foreach (var record in inserts.Concat(saves))
            {
                _cache[record.DurableExecutionArn].Pending = durable;
                if (record.IsClosed)
                {
                    _closedWrites.Enqueue((record.DurableExecutionArn, durable));
                }
            }

            return durable;
        }
    }

    /// <inheritdoc />
    Task IExecutionStore.WhenDurable(string durableExecutionArn)
    {
        lock (_gate)
        {
            // Only a record in memory can have a write still queued.
            return _cache.TryGetValue(durableExecutionArn, out var cached) ? cached.Pending : Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    IReadOnlyList<ExecutionIndexEntry> IExecutionStore.ListByFunction(string functionName, bool oldestFirst,
        ExecutionListKey? after, Func<ExecutionIndexEntry, bool> match, int max)
    {
        lock (_gate)
        {
            return _index.ListByFunction(functionName, oldestFirst, after, match, max);
        }
    }

    /// <inheritdoc />
    ExecutionIndexEntry? IExecutionStore.FindByName(string functionName, string executionName)
    {
        lock (_gate)
        {
            return _index.FindByName(functionName, executionName);
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.ListOpen()
    {
        lock (_gate)
        {
            return _index.ListOpen();
        }
    }

    /// <inheritdoc />
    string? IExecutionStore.FindRunnable()
    {
        lock (_gate)
        {
            return _index.FindRunnable();
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.FindRunnable(int max)
    {
        lock (_gate)
        {
            return _index.FindRunnable(max);
        }
    }

    /// <inheritdoc />
    DateTimeOffset? IExecutionStore.GetNextDueTime()
    {
        lock (_gate)
        {
            return _index.GetNextDueTime();
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.FindDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _index.FindDue(now);
        }
    }

    /// <inheritdoc />
    long IExecutionStore.SchedulingVersion => _index.SchedulingVersion; // read without the lock: see the index

    /// <inheritdoc />
    long IExecutionStore.NextSequence()
    {
        lock (_gate)
        {
            return ++_sequence; // kept as the runnable_seq of the execution that takes it
        }
    }

    /// <summary>Writes what is queued, then closes the database (checkpointing the WAL into the main file).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
            try
            {
                Execute(_writeConnection, "PRAGMA wal_checkpoint(TRUNCATE);");
            }
            catch (SqliteException)
            {
                // Best effort: the WAL is replayed on the next open anyway.
            }

            _cache.Clear();
            _readConnection.Dispose();
            _checkpointConnection.Dispose();
            _writeConnection.Dispose();
        }
    }

    private static SqliteConnection OpenConnection(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=5000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteCommand Command(string sql)
    {
        var command = _readConnection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql) => Execute(_writeConnection, sql);

    private SqliteCommand WriteCommand(string sql)
    {
        var command = _writeConnection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Every execution's index columns, read once when the store opens.</summary>
    private void LoadIndex()
    {
        using var command = Command("""
            SELECT arn, function_name, execution_name, function_arn, version, status, start_ms, end_ms, runnable,
                runnable_seq, next_due_ms
            FROM executions;
            """);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _index.Set(new ExecutionIndexEntry(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                UpperSnakeCaseEnumConverter<ExecutionStatus>.TryParse(reader.GetString(5), out var status) ? status : default,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                reader.GetInt64(8) != 0,
                reader.GetInt64(9),
                reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10))));
        }
    }

    /// <summary>The rows of one execution: its own row, the operations changed or added since <paramref name="previous"/>
    /// (the journal's positions when the engine changed the stored record in place; every operation for an insert or a
    /// copy) and the events appended since.</summary>
    private static void AddRows(List<SqliteRow> rows, ExecutionRecord record, ExecutionRecord? previous)
    {
        var arn = record.DurableExecutionArn;
        var index = record.ToIndexEntry();
        rows.Add(new SqliteRow(SqliteRowKind.Execution,
        [
            arn, index.FunctionName, index.ExecutionName, index.FunctionArn, index.Version,
            UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(index.Status),
            index.StartTimestamp.ToUnixTimeMilliseconds(),
            index.EndTimestamp?.ToUnixTimeMilliseconds(),
            index.IsRunnable ? 1 : 0,
            index.RunnableSequence,
            index.NextDueTime?.ToUnixTimeMilliseconds(),
            JsonSerializer.SerializeToUtf8Bytes(record, SqliteStoreJsonContext.Default.ExecutionRecord),
            record.DeferredTerminalEvent is { } deferred ? JsonSerializer.SerializeToUtf8Bytes(deferred, ProtocolJson.Rest.Event) : null,
        ]));

        IEnumerable<int> operations;
        int firstEvent;
        if (previous is not null && ReferenceEquals(previous, record) && record.Changes is { } changes)
        {
            operations = changes.ChangedPositions(record);
            firstEvent = changes.EventCount;
        }
        else
        {
            if (previous is not null && (record.Operations.Count < previous.Operations.Count || record.Events.Count < previous.Events.Count))
            {
                // Operations are only appended and events never change; anything else is a bug worth stopping on.
                throw new InvalidOperationException($"Execution {arn} lost operations or events since it was loaded.");
            }

            operations = Enumerable.Range(0, record.Operations.Count);
            firstEvent = previous is null || ReferenceEquals(previous, record) ? 0 : previous.Events.Count;
        }

        foreach (var position in operations)
        {
            rows.Add(new SqliteRow(SqliteRowKind.Operation,
                [arn, position, JsonSerializer.SerializeToUtf8Bytes(record.Operations[position], SqliteStoreJsonContext.Default.Operation)]));
        }

        for (var i = firstEvent; i < record.Events.Count; i++)
        {
            rows.Add(new SqliteRow(SqliteRowKind.Event, [arn, i, JsonSerializer.SerializeToUtf8Bytes(record.Events[i], ProtocolJson.Rest.Event)]));
        }
    }

    /// <summary>The stored execution: from memory, else read from the database (and kept when
    /// <paramref name="keep"/>). A record is never read from the file while a write of it is queued: it stays in memory
    /// until that write is durable.</summary>
    private ExecutionRecord? Stored(string arn, bool keep)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cache.TryGetValue(arn, out var cached))
        {
            cached.LastUse = ++_uses;
            return cached.Record;
        }

        ExecutionRecord record;
        using (var command = Command("SELECT record, deferred_event FROM executions WHERE arn = $arn;"))
        {
            command.Parameters.AddWithValue("$arn", arn);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            record = JsonSerializer.Deserialize(reader.GetString(0), SqliteStoreJsonContext.Default.ExecutionRecord)
                     ?? throw new InvalidDataException("A stored execution record is JSON null.");
            record.DeferredTerminalEvent = reader.IsDBNull(1) ? null : JsonSerializer.Deserialize(reader.GetString(1), ProtocolJson.Rest.Event);
        }

        foreach (var json in ReadColumn("SELECT operation FROM operations WHERE arn = $arn ORDER BY position;", arn))
        {
            record.Operations.Add(JsonSerializer.Deserialize(json, SqliteStoreJsonContext.Default.Operation)
                                  ?? throw new InvalidDataException("A stored operation is JSON null."));
        }

        foreach (var json in ReadColumn("SELECT event FROM events WHERE arn = $arn ORDER BY position;", arn))
        {
            record.Events.Add(JsonSerializer.Deserialize(json, ProtocolJson.Rest.Event)
                              ?? throw new InvalidDataException("A stored event is JSON null."));
        }

        if (keep)
        {
            Remember(record);
        }

        return record;
    }

    private void Remember(ExecutionRecord record)
    {
        if (_cache.Count >= CacheCapacity && !_cache.ContainsKey(record.DurableExecutionArn))
        {
            Evict();
        }

        _cache[record.DurableExecutionArn] = new Cached(record) { LastUse = ++_uses };
    }

    /// <summary>Forgets the closed executions whose last write is durable, but for the last
    /// <see cref="RecentlyClosedKept"/> to close: whoever waited for an execution to close (a synchronous invoke,
    /// <c>durablegen run</c>) reads it at once, from memory. A closed execution is rarely read later (its status and
    /// listing come from the index), but kept in memory until the cache filled it outlived the next garbage collections
    /// with its operations, events and last response, and each collection copied it: about 8 ms of pause, which every
    /// checkpoint in flight waits out, per MB that survives. Writes complete in the order they were queued, so the queue
    /// is read from its head until a write still on its way.</summary>
    private void ForgetDurableClosedExecutions()
    {
        while (_closedWrites.Count > RecentlyClosedKept && _closedWrites.TryPeek(out var head) && head.Durable.IsCompleted)
        {
            _closedWrites.Dequeue();
            // A failed write leaves the record the only copy; a later write (or a request changing it now) owns it.
            if (head.Durable.IsCompletedSuccessfully && _cache.TryGetValue(head.Arn, out var cached)
                && ReferenceEquals(cached.Pending, head.Durable) && cached.Record.IsClosed && cached.Record.Changes is null)
            {
                _cache.Remove(head.Arn);
            }
        }
    }

    /// <summary>Forgets a quarter of the cache: records the file already holds and no request is changing, closed
    /// executions first, then the least recently used. Forgetting every such record at once (as this did) dropped the
    /// running executions too, once per 1,024 starts, and each one's next request read its whole history back under
    /// the store's lock: a burst of reads that set the checkpoints' p99 in a service that had run for a while.</summary>
    private void Evict()
    {
        var forgotten = _cache
            .Where(entry => entry.Value.Pending.IsCompleted && entry.Value.Record.Changes is null)
            .OrderBy(entry => entry.Value.Record.IsClosed ? 0 : 1)
            .ThenBy(entry => entry.Value.LastUse)
            .Take(CacheCapacity / 4)
            .Select(entry => entry.Key)
            .ToList();
        foreach (var arn in forgotten)
        {
            _cache.Remove(arn);
        }
    }

    /// <summary>Whether the record of <paramref name="durableExecutionArn"/> is in memory (a request for it reads
    /// nothing from the file).</summary>
    internal bool Caches(string durableExecutionArn)
    {
        lock (_gate)
        {
            return _cache.ContainsKey(durableExecutionArn);
        }
    }

    private List<string> ReadColumn(string sql, string arn)
    {
        using var command = Command(sql);
        command.Parameters.AddWithValue("$arn", arn);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Version 1 kept each execution's operations inside its record JSON and its events as one JSON array:
    /// move both into their tables, in one transaction.</summary>
    private void MigrateFromVersion1()
    {
        using var transaction = _writeConnection.BeginTransaction();
        var rows = new List<(string Arn, string Record, string Events)>();
        using (var select = WriteCommand("SELECT arn, record, events FROM executions;"))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        foreach (var (arn, record, events) in rows)
        {
            using var document = JsonDocument.Parse(record);
            var operations = document.RootElement.TryGetProperty("Operations", out var list)
                ? list.EnumerateArray().Select(o => o.GetRawText()).ToList()
                : new List<string>();
            using var eventDocument = JsonDocument.Parse(events);
            var eventRows = eventDocument.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
            InsertRows("INSERT INTO operations (arn, position, operation) VALUES ($arn, $position, $json);", arn, operations);
            InsertRows("INSERT INTO events (arn, position, event) VALUES ($arn, $position, $json);", arn, eventRows);
        }

        Execute("ALTER TABLE executions DROP COLUMN events; UPDATE meta SET value = 2 WHERE key = 'schema';");
        transaction.Commit();
    }

    private void InsertRows(string sql, string arn, List<string> rows)
    {
        using var insert = WriteCommand(sql);
        var position = insert.Parameters.Add("$position", SqliteType.Integer);
        var json = insert.Parameters.Add("$json", SqliteType.Text);
        insert.Parameters.AddWithValue("$arn", arn);
        for (var i = 0; i < rows.Count; i++)
        {
            position.Value = i;
            json.Value = rows[i];
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>A stored execution kept in memory, and the write of it last queued (it must not be read back from the
    /// file before that write is durable).</summary>
    private sealed class Cached(ExecutionRecord record)
    {
        public ExecutionRecord Record { get; } = record;

        public Task Pending { get; set; } = Task.CompletedTask;

        /// <summary>When it was last read or written, in the store's count of cache uses.</summary>
        public long LastUse { get; set; }
    }
}
