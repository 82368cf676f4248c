using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DurableGen.Protocol;
using Microsoft.Data.Sqlite;

namespace DurableGen.Emulator.Store;

/// <summary>
/// An <see cref="IExecutionStore"/> in a SQLite file (WAL journal, synchronous FULL): every <see cref="IExecutionStore.Commit"/> is one
/// committed transaction, so a service that stops or crashes loses no execution, callback or timer and never keeps
/// half of a request — a new engine over the same file continues where the old one stopped. One connection, serialized by a lock.
/// </summary>
/// <remarks>
/// A save writes what changed, not the aggregate: the record's scalar part as JSON next to the indexed columns that
/// listing and scheduling query, one row per operation (rewritten only when its JSON changed) and one row per history
/// event (appended; events never change). Writing the whole aggregate made each checkpoint cost grow with the history
/// (35× slower at 2,000 steps than at the start). The last saved version of recently used executions is cached, so a
/// load does not parse the history again and a save knows what the previous one wrote.
/// </remarks>
public sealed class SqliteExecutionStore : IExecutionStore, IDisposable
{
    private const int SchemaVersion = 2;
    private const int CacheCapacity = 256;
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly byte[] _callbackKey;
    private readonly Dictionary<string, Saved> _cache = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>.</summary>
    public SqliteExecutionStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        Path = System.IO.Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA busy_timeout=5000;");
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
            CREATE INDEX IF NOT EXISTS ix_executions_function ON executions (function_name);
            CREATE INDEX IF NOT EXISTS ix_executions_runnable ON executions (runnable, runnable_seq);
            CREATE INDEX IF NOT EXISTS ix_executions_due ON executions (next_due_ms);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('sequence', 0);
            CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
            """);
        using (var secret = _connection.CreateCommand())
        {
            // A table of its own (not a schema change: older files gain it on open) so the callback key lives with
            // the executions whose ids it sealed.
            secret.CommandText = "INSERT OR IGNORE INTO secrets (name, value) VALUES ('callback-key', $k); SELECT value FROM secrets WHERE name = 'callback-key';";
            secret.Parameters.AddWithValue("$k", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            _callbackKey = (byte[])secret.ExecuteScalar()!;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', $v); SELECT value FROM meta WHERE key = 'schema';";
        command.Parameters.AddWithValue("$v", SchemaVersion);
        var version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version == 1)
        {
            MigrateFromVersion1();
        }
        else if (version != SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The database {Path} has schema version {version}; this build reads versions 1 and {SchemaVersion}.");
        }
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Called inside the open transaction before each execution is written: a crash test throws from it to
    /// model the process dying at that point (the transaction is rolled back, as SQLite does for a killed
    /// writer).</summary>
    internal Action<ExecutionRecord>? BeforeWrite { get; set; }

    /// <inheritdoc />
    byte[] IExecutionStore.CallbackKey => _callbackKey;

    /// <inheritdoc />
    ExecutionRecord? IExecutionStore.Load(string durableExecutionArn)
    {
        lock (_gate)
        {
            return Stored(durableExecutionArn)?.Record.Clone();
        }
    }

    /// <inheritdoc />
    void IExecutionStore.Commit(IReadOnlyList<ExecutionRecord> inserts, IReadOnlyList<ExecutionRecord> saves)
    {
        ArgumentNullException.ThrowIfNull(inserts);
        ArgumentNullException.ThrowIfNull(saves);
        lock (_gate)
        {
            var previous = new Saved[saves.Count];
            for (var i = 0; i < saves.Count; i++)
            {
                var record = saves[i];
                previous[i] = Stored(record.DurableExecutionArn)
                              ?? throw new InvalidOperationException($"Execution {record.DurableExecutionArn} does not exist.");
                if (previous[i].Record.StoreVersion != record.StoreVersion)
                {
                    // Diffing against a newer version than the copy was loaded from would write a mix of both.
                    throw ExecutionStoreConflict.Create(record, previous[i].Record.StoreVersion);
                }
            }

            var written = new List<Saved>(inserts.Count + saves.Count);
            var advanced = 0;
            try
            {
                using var transaction = _connection.BeginTransaction();
                foreach (var record in inserts)
                {
                    BeforeWrite?.Invoke(record);
                    using var command = Command("""
                        INSERT INTO executions (arn, function_name, execution_name, function_arn, version, status, start_ms,
                            end_ms, runnable, runnable_seq, next_due_ms, record, deferred_event)
                        VALUES ($arn, $fn, $name, $farn, $version, $status, $start, $end, $runnable, $seq, $due, $record,
                            $deferred);
                        """);
                    Bind(command, record);
                    try
                    {
                        command.ExecuteNonQuery();
                    }
                    catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                    {
                        throw new InvalidOperationException($"Execution {record.DurableExecutionArn} already exists.", ex);
                    }

                    written.Add(WriteRows(record, null));
                }

                for (var i = 0; i < saves.Count; i++)
                {
                    var record = saves[i];
                    BeforeWrite?.Invoke(record);
                    record.StoreVersion++;
                    advanced++;
                    using var command = Command("""
                        UPDATE executions SET function_name = $fn, execution_name = $name, function_arn = $farn,
                            version = $version, status = $status, start_ms = $start, end_ms = $end, runnable = $runnable,
                            runnable_seq = $seq, next_due_ms = $due, record = $record, deferred_event = $deferred
                        WHERE arn = $arn;
                        """);
                    Bind(command, record);
                    command.ExecuteNonQuery();
                    written.Add(WriteRows(record, previous[i]));
                }

                transaction.Commit();
            }
            catch
            {
                // The transaction rolled back: every copy is still the version it was loaded as.
                for (var i = 0; i < advanced; i++)
                {
                    saves[i].StoreVersion--;
                }

                throw;
            }

            foreach (var saved in written)
            {
                Remember(saved);
            }
        }
    }

    /// <inheritdoc />
    IReadOnlyList<ExecutionIndexEntry> IExecutionStore.ListByFunction(string functionName)
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT arn, function_name, execution_name, function_arn, version, status, start_ms, end_ms, runnable,
                    runnable_seq, next_due_ms
                FROM executions WHERE function_name = $fn;
                """);
            command.Parameters.AddWithValue("$fn", functionName);
            using var reader = command.ExecuteReader();
            var result = new List<ExecutionIndexEntry>();
            while (reader.Read())
            {
                result.Add(new ExecutionIndexEntry(
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

            return result;
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.ListOpen()
    {
        lock (_gate)
        {
            using var command = Command("SELECT arn FROM executions WHERE status = $status;");
            command.Parameters.AddWithValue("$status", UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(ExecutionStatus.Running));
            using var reader = command.ExecuteReader();
            var result = new List<string>();
            while (reader.Read())
            {
                result.Add(reader.GetString(0));
            }

            return result;
        }
    }

    /// <inheritdoc />
    string? IExecutionStore.FindRunnable()
    {
        lock (_gate)
        {
            using var command = Command("SELECT arn FROM executions WHERE runnable = 1 ORDER BY runnable_seq LIMIT 1;");
            return command.ExecuteScalar() as string;
        }
    }

    /// <inheritdoc />
    DateTimeOffset? IExecutionStore.GetNextDueTime()
    {
        lock (_gate)
        {
            using var command = Command("SELECT MIN(next_due_ms) FROM executions WHERE next_due_ms IS NOT NULL;");
            return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
    }

    /// <inheritdoc />
    IReadOnlyList<string> IExecutionStore.FindDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            using var command = Command(
                "SELECT arn FROM executions WHERE next_due_ms IS NOT NULL AND next_due_ms <= $now ORDER BY next_due_ms, arn;");
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            using var reader = command.ExecuteReader();
            var result = new List<string>();
            while (reader.Read())
            {
                result.Add(reader.GetString(0));
            }

            return result;
        }
    }

    /// <inheritdoc />
    long IExecutionStore.NextSequence()
    {
        lock (_gate)
        {
            using var command = Command("UPDATE meta SET value = value + 1 WHERE key = 'sequence' RETURNING value;");
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Closes the database (checkpointing the WAL into the main file).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                Execute("PRAGMA wal_checkpoint(TRUNCATE);");
            }
            catch (SqliteException)
            {
                // Best effort: the WAL is replayed on the next open anyway.
            }

            _disposed = true;
            _cache.Clear();
            _connection.Dispose();
        }
    }

    private SqliteCommand Command(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, ExecutionRecord record)
    {
        var index = record.ToIndexEntry();
        var p = command.Parameters;
        p.AddWithValue("$arn", record.DurableExecutionArn);
        p.AddWithValue("$fn", index.FunctionName);
        p.AddWithValue("$name", index.ExecutionName);
        p.AddWithValue("$farn", index.FunctionArn);
        p.AddWithValue("$version", index.Version);
        p.AddWithValue("$status", UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(index.Status));
        p.AddWithValue("$start", index.StartTimestamp.ToUnixTimeMilliseconds());
        p.AddWithValue("$end", index.EndTimestamp is { } end ? end.ToUnixTimeMilliseconds() : DBNull.Value);
        p.AddWithValue("$runnable", index.IsRunnable ? 1 : 0);
        p.AddWithValue("$seq", index.RunnableSequence);
        p.AddWithValue("$due", index.NextDueTime is { } due ? due.ToUnixTimeMilliseconds() : DBNull.Value);
        p.AddWithValue("$record", JsonSerializer.Serialize(record, SqliteStoreJsonContext.Default.ExecutionRecord));
        p.AddWithValue("$deferred", record.DeferredTerminalEvent is { } deferred
            ? JsonSerializer.Serialize(deferred, ProtocolJson.Rest.Event)
            : DBNull.Value);
    }

    /// <summary>Writes the operations whose JSON differs from <paramref name="previous"/>'s and the events appended
    /// since, inside the caller's transaction; returns what is now stored.</summary>
    private Saved WriteRows(ExecutionRecord record, Saved? previous)
    {
        var arn = record.DurableExecutionArn;
        var previousOperations = previous?.OperationJson ?? Array.Empty<string>();
        if (record.Operations.Count < previousOperations.Count || record.Events.Count < (previous?.Record.Events.Count ?? 0))
        {
            // Operations are only appended and events never change; anything else is a bug worth stopping on.
            throw new InvalidOperationException($"Execution {arn} lost operations or events since it was loaded.");
        }

        var operationJson = new string[record.Operations.Count];
        using (var upsert = Command("INSERT OR REPLACE INTO operations (arn, position, operation) VALUES ($arn, $position, $json);"))
        {
            var position = upsert.Parameters.Add("$position", SqliteType.Integer);
            var json = upsert.Parameters.Add("$json", SqliteType.Text);
            upsert.Parameters.AddWithValue("$arn", arn);
            for (var i = 0; i < operationJson.Length; i++)
            {
                operationJson[i] = JsonSerializer.Serialize(record.Operations[i], SqliteStoreJsonContext.Default.Operation);
                if (i < previousOperations.Count && string.Equals(operationJson[i], previousOperations[i], StringComparison.Ordinal))
                {
                    continue;
                }

                position.Value = i;
                json.Value = operationJson[i];
                upsert.ExecuteNonQuery();
            }
        }

        using (var append = Command("INSERT INTO events (arn, position, event) VALUES ($arn, $position, $json);"))
        {
            var position = append.Parameters.Add("$position", SqliteType.Integer);
            var json = append.Parameters.Add("$json", SqliteType.Text);
            append.Parameters.AddWithValue("$arn", arn);
            for (var i = previous?.Record.Events.Count ?? 0; i < record.Events.Count; i++)
            {
                position.Value = i;
                json.Value = JsonSerializer.Serialize(record.Events[i], ProtocolJson.Rest.Event);
                append.ExecuteNonQuery();
            }
        }

        return new Saved(record.Clone(), operationJson);
    }

    /// <summary>The stored version of an execution: from the cache, else read from the database (and cached).</summary>
    private Saved? Stored(string arn)
    {
        if (_cache.TryGetValue(arn, out var cached))
        {
            return cached;
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

        var operationJson = new List<string>();
        foreach (var json in ReadColumn("SELECT operation FROM operations WHERE arn = $arn ORDER BY position;", arn))
        {
            operationJson.Add(json);
            record.Operations.Add(JsonSerializer.Deserialize(json, SqliteStoreJsonContext.Default.Operation)
                                  ?? throw new InvalidDataException("A stored operation is JSON null."));
        }

        foreach (var json in ReadColumn("SELECT event FROM events WHERE arn = $arn ORDER BY position;", arn))
        {
            record.Events.Add(JsonSerializer.Deserialize(json, ProtocolJson.Rest.Event)
                              ?? throw new InvalidDataException("A stored event is JSON null."));
        }

        var saved = new Saved(record, operationJson);
        Remember(saved);
        return saved;
    }

    private void Remember(Saved saved)
    {
        if (_cache.Count >= CacheCapacity && !_cache.ContainsKey(saved.Record.DurableExecutionArn))
        {
            _cache.Clear(); // cheap and always correct: the database holds everything
        }

        _cache[saved.Record.DurableExecutionArn] = saved;
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
        using var transaction = _connection.BeginTransaction();
        var rows = new List<(string Arn, string Record, string Events)>();
        using (var select = Command("SELECT arn, record, events FROM executions;"))
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
        using var insert = Command(sql);
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

    /// <summary>The stored version of an execution (never handed out: loads get clones) and the JSON of each of its
    /// operations as stored.</summary>
    private sealed record Saved(ExecutionRecord Record, IReadOnlyList<string> OperationJson);
}
