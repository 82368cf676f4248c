using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Microsoft.Data.Sqlite;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// SqliteExecutionStore writes only what changed (an operation row when its JSON changed, appended event rows): after
/// every kind of change, a second store opened on the same file — reading only the database — sees exactly what the
/// engine sees; and a database of the previous schema (whole aggregate per row) is migrated without loss.
/// </summary>
public sealed class SqliteIncrementalStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-sqlite-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Every_change_is_on_disk_after_each_save()
    {
        var path = Path.Combine(_directory, "executions.db");
        var clock = new VirtualClock(Start);
        using var store = new SqliteExecutionStore(path);
        var engine = new DurableExecutionEngine(store, clock);
        var arn = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{\"n\":1}" }).DurableExecutionArn;
        AssertDiskMatches(path, engine, arn);

        var invocation = engine.TryBeginInvocation()!;
        var token = invocation.Input.CheckpointToken!;
        var steps = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            steps.Add($"s{i}");
            token = Checkpoint(engine, arn, token, $$"""[{"Id":"s{{i}}","Type":"STEP","Action":"START","SubType":"Step","Name":"step"}]""");
            token = Checkpoint(engine, arn, token, i % 3 == 0
                ? $$"""[{"Id":"s{{i}}","Type":"STEP","Action":"RETRY","SubType":"Step","Name":"step","Error":{"ErrorMessage":"again"},""" +
                  "\"StepOptions\":{\"NextAttemptDelaySeconds\":5}}]"
                : $$"""[{"Id":"s{{i}}","Type":"STEP","Action":"SUCCEED","SubType":"Step","Name":"step","Payload":"{{i}}"}]""");
            AssertDiskMatches(path, engine, arn);
        }

        token = Checkpoint(engine, arn, token,
            """[{"Id":"w1","Type":"WAIT","Action":"START","SubType":"Wait","WaitOptions":{"WaitSeconds":60}},""" +
            """{"Id":"cb1","Type":"CALLBACK","Action":"START","SubType":"Callback","Name":"approval"}]""");
        var callbackId = engine.GetOperations(arn).Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        engine.CompleteInvocation(arn, invocation.RequestId, new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
        AssertDiskMatches(path, engine, arn);

        engine.SendCallbackSuccess(callbackId, "yes"); // changed by the service, between invocations
        AssertDiskMatches(path, engine, arn);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(engine.FireDueTimers() > 0); // the retries and the wait fall due
        AssertDiskMatches(path, engine, arn);

        var last = engine.TryBeginInvocation()!;
        engine.CompleteInvocation(arn, last.RequestId,
            new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"done\"" });
        AssertDiskMatches(path, engine, arn);
        Assert.Equal(ExecutionStatus.Succeeded, engine.GetExecution(arn).Status);
    }

    [Fact]
    public void The_write_ahead_log_is_checkpointed_while_commits_go_on()
    {
        // Commits turn SQLite's automatic checkpoint off (it ran inside one commit in a few hundred, which then waited
        // for the copy and a sync of the database file); the writer's own checkpoint thread must keep the WAL bounded.
        // A budget of 1,024 frames (4 MiB) here, so that these commits cross it many times.
        var path = Path.Combine(_directory, "executions.db");
        using var store = new SqliteExecutionStore(path, CommitDurability.PowerLoss, walRestartFrames: 1_024);
        var engine = WriteLargeSteps(store, 1_500, out var arn);

        // Without a checkpoint the WAL holds every frame written (54 MB for these 1,500 transactions); with the checkpoint
        // thread's passes alone, and no copy of the rest between two transactions, it never wraps either (109 MB at
        // 3,000).
        var wal = new FileInfo(path + "-wal").Length;
        Assert.True(wal < 16 * 1024 * 1024, $"The WAL grew to {wal:N0} bytes.");
        Assert.Equal(1_501, engine.GetOperations(arn).Count);
    }

    [Fact]
    public void The_writer_holds_commits_for_the_end_of_the_log_only_once_the_log_passed_its_budget()
    {
        // The writer's own pass syncs the WAL and the database file while every commit queued meanwhile waits. Each
        // thousand rows it made four busy sandboxes' checkpoints wait 2-16 ms five times a second; under the default
        // budget (64 MiB) these 54 MB of commits never need it.
        var path = Path.Combine(_directory, "executions.db");
        using var store = new SqliteExecutionStore(path, CommitDurability.ProcessCrash);
        var engine = WriteLargeSteps(store, 1_500, out var arn);

        Assert.Equal(0, store.WriterCheckpoints);
        Assert.Equal(1_501, engine.GetOperations(arn).Count);
    }

    /// <summary>An execution with <paramref name="count"/> checkpoints, each a step of a page or more.</summary>
    private static DurableExecutionEngine WriteLargeSteps(SqliteExecutionStore store, int count, out string arn)
    {
        var engine = new DurableExecutionEngine(store, new VirtualClock(Start));
        arn = engine.StartExecution(new StartExecutionRequest { FunctionName = "f" }).DurableExecutionArn;
        var token = engine.TryBeginInvocation()!.Input.CheckpointToken!;
        var payload = new string('x', 2_000); // an operation row and an event row of a page each, at least
        for (var i = 0; i < count; i++)
        {
            token = Checkpoint(engine, arn, token,
                $$"""[{"Id":"s{{i}}","Type":"STEP","Action":"SUCCEED","SubType":"Step","Payload":"\"{{payload}}\""}]""");
        }

        return engine;
    }

    [Fact]
    public void A_copy_loaded_before_the_last_save_is_refused_and_nothing_of_it_is_written()
    {
        var path = Path.Combine(_directory, "executions.db");
        using (var store = new SqliteExecutionStore(path))
        {
            ((IExecutionStore)store).Insert(new ExecutionRecord { DurableExecutionArn = "arn:x", FunctionName = "f", ExecutionName = "x" });
            var first = ((IExecutionStore)store).Load("arn:x")!;
            var stale = ((IExecutionStore)store).Load("arn:x")!;
            first.InvocationCount = 1;
            ((IExecutionStore)store).Save(first);
            stale.InvocationCount = 2;
            Assert.Throws<InvalidOperationException>(() => ((IExecutionStore)store).Save(stale));
            first.InvocationCount = 3;
            ((IExecutionStore)store).Save(first);
        }

        using var reopened = new SqliteExecutionStore(path);
        Assert.Equal(3, ((IExecutionStore)reopened).Load("arn:x")!.InvocationCount);
        Assert.Equal(2, ((IExecutionStore)reopened).Load("arn:x")!.StoreVersion);
    }

    [Fact]
    public void A_database_of_schema_version_1_is_migrated_with_every_operation_and_event()
    {
        // Build an execution with the current store, then rewrite its file in the version 1 layout: operations inside
        // the record JSON, the events as one JSON array column.
        var path = Path.Combine(_directory, "executions.db");
        var clock = new VirtualClock(Start);
        string arn;
        string expectedOperations;
        string expectedEvents;
        using (var store = new SqliteExecutionStore(path))
        {
            var engine = new DurableExecutionEngine(store, clock);
            arn = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{\"n\":2}" }).DurableExecutionArn;
            engine.StartExecution(new StartExecutionRequest { FunctionName = "g" });
            var invocation = engine.TryBeginInvocation()!;
            Checkpoint(engine, arn, invocation.Input.CheckpointToken!,
                """[{"Id":"s1","Type":"STEP","Action":"SUCCEED","SubType":"Step","Name":"one","Payload":"1"},""" +
                """{"Id":"w1","Type":"WAIT","Action":"START","SubType":"Wait","WaitOptions":{"WaitSeconds":60}}]""");
            engine.CompleteInvocation(arn, invocation.RequestId, new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
            (expectedOperations, expectedEvents) = Snapshot(engine, arn);
        }

        RewriteAsVersion1(path);

        using (var store = new SqliteExecutionStore(path))
        {
            var engine = new DurableExecutionEngine(store, clock);
            Assert.Equal((expectedOperations, expectedEvents), Snapshot(engine, arn));
            Assert.Equal(2, engine.ListExecutions("f").Count + engine.ListExecutions("g").Count);
            clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(1, engine.FireDueTimers()); // the wait's timer survived the migration
            var begun = new[] { engine.TryBeginInvocation()!, engine.TryBeginInvocation()! }; // g's first, and ours
            var resumed = begun.Single(i => i.DurableExecutionArn == arn);
            Assert.Equal(OperationStatus.Succeeded,
                resumed.Input.InitialExecutionState!.Operations!.Single(o => o.Id == "w1").Status);
        }

        using (var connection = Open(path))
        {
            Assert.Equal(2L, Scalar(connection, "SELECT value FROM meta WHERE key = 'schema';"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM pragma_table_info('executions') WHERE name = 'events';"));
        }
    }

    private static void RewriteAsVersion1(string path)
    {
        using var connection = Open(path);
        using var transaction = connection.BeginTransaction();
        Run(connection, "ALTER TABLE executions ADD COLUMN events TEXT NOT NULL DEFAULT '[]';");
        foreach (var arn in Column(connection, "SELECT arn FROM executions;", null))
        {
            var record = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
                Column(connection, "SELECT record FROM executions WHERE arn = $arn;", arn).Single())!;
            var operations = Column(connection, "SELECT operation FROM operations WHERE arn = $arn ORDER BY position;", arn);
            record["Operations"] = JsonDocument.Parse("[" + string.Join(",", operations) + "]").RootElement;
            var events = "[" + string.Join(",", Column(connection, "SELECT event FROM events WHERE arn = $arn ORDER BY position;", arn)) + "]";
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE executions SET record = $record, events = $events WHERE arn = $arn;";
            update.Parameters.AddWithValue("$record", JsonSerializer.Serialize(record));
            update.Parameters.AddWithValue("$events", events);
            update.Parameters.AddWithValue("$arn", arn);
            update.ExecuteNonQuery();
        }

        Run(connection, "DROP TABLE operations; DROP TABLE events; UPDATE meta SET value = 1 WHERE key = 'schema';");
        transaction.Commit();
    }

    /// <summary>What a second store, reading only the file, holds for the execution equals what the engine serves.</summary>
    private static void AssertDiskMatches(string path, DurableExecutionEngine live, string arn)
    {
        using var store = new SqliteExecutionStore(path);
        var fromDisk = new DurableExecutionEngine(store, new VirtualClock(Start));
        Assert.Equal(Snapshot(live, arn), Snapshot(fromDisk, arn));
        Assert.Equal(live.GetExecution(arn).Status, fromDisk.GetExecution(arn).Status);
        Assert.Equal(live.NextDueTime, fromDisk.NextDueTime);
    }

    private static (string Operations, string Events) Snapshot(DurableExecutionEngine engine, string arn) => (
        string.Join("\n", engine.GetOperations(arn).Select(o => JsonSerializer.Serialize(o, ProtocolJson.Rest.Operation))),
        string.Join("\n", engine.GetHistoryEvents(arn).Select(e => JsonSerializer.Serialize(e, ProtocolJson.Rest.Event))));

    private static string Checkpoint(DurableExecutionEngine engine, string arn, string token, string updatesJson)
    {
        var request = JsonSerializer.Deserialize(
            $"{{\"CheckpointToken\":{JsonSerializer.Serialize(token)},\"Updates\":{updatesJson}}}",
            ProtocolJson.Rest.CheckpointDurableExecutionRequest)!;
        request.DurableExecutionArn = arn;
        return engine.Checkpoint(request).CheckpointToken!;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static List<string> Column(SqliteConnection connection, string sql, string? arn)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (arn is not null)
        {
            command.Parameters.AddWithValue("$arn", arn);
        }

        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
