using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using DurableGen.Protocol;
using Microsoft.Data.Sqlite;

namespace DurableGen.Emulator;

/// <summary>
/// An <see cref="IExecutionStore"/> in a SQLite file (WAL journal, synchronous FULL): every <see cref="Insert"/> and
/// <see cref="Save"/> is one committed transaction, so a service that stops or crashes loses no execution, callback or
/// timer — a new engine over the same file continues where the old one stopped. The aggregate is stored as JSON next to
/// the indexed columns that listing and scheduling query. One connection, serialized by a lock.
/// </summary>
public sealed class SqliteExecutionStore : IExecutionStore, IDisposable
{
    private const int SchemaVersion = 1;
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
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
                events TEXT NOT NULL,
                deferred_event TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_executions_function ON executions (function_name);
            CREATE INDEX IF NOT EXISTS ix_executions_runnable ON executions (runnable, runnable_seq);
            CREATE INDEX IF NOT EXISTS ix_executions_due ON executions (next_due_ms);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('sequence', 0);
            """);
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', $v); SELECT value FROM meta WHERE key = 'schema';";
        command.Parameters.AddWithValue("$v", SchemaVersion);
        var version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version != SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The database {Path} has schema version {version}; this build reads version {SchemaVersion}.");
        }
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ExecutionRecord? Load(string durableExecutionArn)
    {
        lock (_gate)
        {
            using var command = Command("SELECT record, events, deferred_event FROM executions WHERE arn = $arn;");
            command.Parameters.AddWithValue("$arn", durableExecutionArn);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? Deserialize(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
                : null;
        }
    }

    /// <inheritdoc />
    public void Insert(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            using var command = Command("""
                INSERT INTO executions (arn, function_name, execution_name, function_arn, version, status, start_ms,
                    end_ms, runnable, runnable_seq, next_due_ms, record, events, deferred_event)
                VALUES ($arn, $fn, $name, $farn, $version, $status, $start, $end, $runnable, $seq, $due, $record,
                    $events, $deferred);
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
        }
    }

    /// <inheritdoc />
    public void Save(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            using var command = Command("""
                UPDATE executions SET function_name = $fn, execution_name = $name, function_arn = $farn,
                    version = $version, status = $status, start_ms = $start, end_ms = $end, runnable = $runnable,
                    runnable_seq = $seq, next_due_ms = $due, record = $record, events = $events,
                    deferred_event = $deferred
                WHERE arn = $arn;
                """);
            Bind(command, record);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"Execution {record.DurableExecutionArn} does not exist.");
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ExecutionIndexEntry> ListByFunction(string functionName)
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
                    ParseStatus(reader.GetString(5)),
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
    public IReadOnlyList<string> ListOpen()
    {
        lock (_gate)
        {
            using var command = Command("SELECT arn FROM executions WHERE status = $status;");
            command.Parameters.AddWithValue("$status", FormatStatus(ExecutionStatus.Running));
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
    public string? FindRunnable()
    {
        lock (_gate)
        {
            using var command = Command("SELECT arn FROM executions WHERE runnable = 1 ORDER BY runnable_seq LIMIT 1;");
            return command.ExecuteScalar() as string;
        }
    }

    /// <inheritdoc />
    public DateTimeOffset? GetNextDueTime()
    {
        lock (_gate)
        {
            using var command = Command("SELECT MIN(next_due_ms) FROM executions WHERE next_due_ms IS NOT NULL;");
            return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> FindDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            using var command = Command(
                "SELECT arn FROM executions WHERE next_due_ms IS NOT NULL AND next_due_ms <= $now ORDER BY next_due_ms;");
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
    public long NextSequence()
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
        p.AddWithValue("$status", FormatStatus(index.Status));
        p.AddWithValue("$start", index.StartTimestamp.ToUnixTimeMilliseconds());
        p.AddWithValue("$end", index.EndTimestamp is { } end ? end.ToUnixTimeMilliseconds() : DBNull.Value);
        p.AddWithValue("$runnable", index.IsRunnable ? 1 : 0);
        p.AddWithValue("$seq", index.RunnableSequence);
        p.AddWithValue("$due", index.NextDueTime is { } due ? due.ToUnixTimeMilliseconds() : DBNull.Value);
        p.AddWithValue("$record", JsonSerializer.Serialize(record, SqliteStoreJsonContext.Default.ExecutionRecord));
        p.AddWithValue("$events", SerializeEvents(record.Events));
        p.AddWithValue("$deferred", record.DeferredTerminalEvent is { } deferred
            ? JsonSerializer.Serialize(deferred, ProtocolJson.Rest.Event)
            : DBNull.Value);
    }

    private static string SerializeEvents(List<Event> events)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in events)
            {
                JsonSerializer.Serialize(writer, item, ProtocolJson.Rest.Event);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static ExecutionRecord Deserialize(string json, string events, string? deferred)
    {
        var record = JsonSerializer.Deserialize(json, SqliteStoreJsonContext.Default.ExecutionRecord)
                     ?? throw new InvalidDataException("A stored execution record is JSON null.");
        using var document = JsonDocument.Parse(events);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            record.Events.Add(element.Deserialize(ProtocolJson.Rest.Event)
                              ?? throw new InvalidDataException("A stored event is JSON null."));
        }

        record.DeferredTerminalEvent = deferred is null ? null : JsonSerializer.Deserialize(deferred, ProtocolJson.Rest.Event);
        return record;
    }

    private static string FormatStatus(ExecutionStatus status) =>
        JsonSerializer.Serialize(status, SqliteStoreJsonContext.Default.ExecutionStatus).Trim('"');

    private static ExecutionStatus ParseStatus(string status) =>
        JsonSerializer.Deserialize("\"" + status + "\"", SqliteStoreJsonContext.Default.ExecutionStatus);
}
