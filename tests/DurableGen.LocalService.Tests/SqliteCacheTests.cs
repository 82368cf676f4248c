using System;
using System.Collections.Generic;
using System.IO;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// The SQLite store keeps recently used execution records in memory (1,024 of them): when it is full it forgets closed
/// executions first, then the least recently used, so a running execution's next request does not read its whole
/// history back from the file. It used to forget every record the file held at once, running ones included. A closed
/// execution leaves memory once its last write is durable and a few more have closed after it, and reading it does not
/// bring it back: kept, every closed execution outlived the next garbage collections, which copied it while every
/// checkpoint in flight waited.
/// </summary>
public sealed class SqliteCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-cache-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_running_execution_stays_in_memory_while_more_executions_than_the_cache_holds_start_and_close()
    {
        using var store = new SqliteExecutionStore(Path.Combine(_directory, "executions.db"), CommitDurability.ProcessCrash);
        var engine = new DurableExecutionEngine(store, new VirtualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        var running = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{}" }).DurableExecutionArn;
        Assert.Equal(running, engine.TryBeginInvocation()!.DurableExecutionArn);

        string? firstClosed = null;
        for (var i = 0; i < 1100; i++)
        {
            var arn = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{}" }).DurableExecutionArn;
            var invocation = engine.TryBeginInvocation()!;
            Assert.Equal(arn, invocation.DurableExecutionArn);
            engine.CompleteInvocation(arn, invocation.RequestId,
                new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "1" });
            firstClosed ??= arn;
        }

        Assert.True(store.Caches(running));
        Assert.False(store.Caches(firstClosed!)); // closed ones left memory
        Assert.Equal(ExecutionStatus.Running, engine.GetExecution(running).Status);
    }

    [Fact]
    public void With_more_open_executions_than_the_cache_holds_the_least_recently_used_leave_memory_first()
    {
        using var store = new SqliteExecutionStore(Path.Combine(_directory, "executions.db"), CommitDurability.ProcessCrash);
        var engine = new DurableExecutionEngine(store, new VirtualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        var polled = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{}" }).DurableExecutionArn;
        var waiting = new List<string>();
        for (var i = 0; i < 1100; i++)
        {
            // Started and never run: open, so only the cache's own limit sends them back to the file.
            waiting.Add(engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{}" }).DurableExecutionArn);
            if (i % 100 == 0)
            {
                Assert.Equal(ExecutionStatus.Running, engine.GetExecution(polled).Status); // a reader's use counts
            }
        }

        Assert.True(store.Caches(polled));
        Assert.False(store.Caches(waiting[0]));
        Assert.True(store.Caches(waiting[^1]));
        Assert.Equal(ExecutionStatus.Running, engine.GetExecution(waiting[0]).Status); // read back from the file
    }

    [Fact]
    public void A_closed_execution_leaves_memory_once_durable_and_a_reader_does_not_bring_it_back()
    {
        using var store = new SqliteExecutionStore(Path.Combine(_directory, "executions.db"), CommitDurability.ProcessCrash);
        var engine = new DurableExecutionEngine(store, new VirtualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        var closed = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var arn = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{}" }).DurableExecutionArn;
            var invocation = engine.TryBeginInvocation()!;
            engine.CompleteInvocation(arn, invocation.RequestId,
                new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = $"{i}" });
            closed.Add(arn);
        }

        var running = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{}" }).DurableExecutionArn;

        // Far fewer than the 1,024 the cache holds: the first closes left, the last ones stay for whoever waits on them.
        Assert.False(store.Caches(closed[0]));
        Assert.True(store.Caches(closed[^1]));
        Assert.True(store.Caches(running));
        var read = engine.GetExecution(closed[0]);
        Assert.Equal(ExecutionStatus.Succeeded, read.Status);
        Assert.Equal("0", read.Result);
        Assert.Contains(engine.GetHistoryEvents(closed[0]), e => e.EventType == EventType.ExecutionSucceeded);
        Assert.Equal(40, engine.ListExecutions("f", statuses: [ExecutionStatus.Succeeded]).Count);
        Assert.False(store.Caches(closed[0]));
    }
}
