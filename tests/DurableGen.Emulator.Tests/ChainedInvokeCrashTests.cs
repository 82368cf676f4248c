using System;
using System.IO;
using System.Linq;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>
/// A service killed while it hands a finished chained invoke's result to the caller: the child's completion and the
/// caller's update must reach the database together, or a restart on the same file leaves the caller waiting forever
/// for a child that is already closed.
/// </summary>
/// <remarks>
/// The kill is modelled at engine level: the store's write hook throws when the caller's record is about to be written
/// (the commit that follows the child's), the open transaction is rolled back as SQLite rolls back a killed writer's,
/// and everything in process memory (engine, store, caches) is dropped. A new engine then opens the same file and
/// fails orphaned invocations, as the local service does when it starts.
/// </remarks>
public sealed class ChainedInvokeCrashTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dg-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_kill_between_the_childs_completion_and_its_delivery_still_gives_the_caller_the_result()
    {
        var path = Path.Combine(_directory, "executions.db");
        var clock = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = 0;
        var options = new EngineOptions { IdFactory = () => "id-" + (++ids) };

        string parentArn;
        string childArn;
        var store = new SqliteExecutionStore(path);
        try
        {
            var engine = new DurableExecutionEngine(store, clock, options);
            parentArn = engine.StartExecution(new StartExecutionRequest { FunctionName = "order-flow", Payload = "{}" })
                .DurableExecutionArn;
            var parent = engine.TryBeginInvocation()!;
            engine.Checkpoint(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = parentArn,
                CheckpointToken = parent.Input.CheckpointToken!,
                Updates = new[] { InvokePricing() },
            });
            engine.CompleteInvocation(parentArn, parent.RequestId,
                new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });

            var child = engine.TryBeginInvocation()!;
            childArn = child.DurableExecutionArn;
            Assert.NotEqual(parentArn, childArn);

            var childWritten = false;
            store.BeforeWrite = record =>
            {
                if (record.DurableExecutionArn == childArn)
                {
                    childWritten = true;
                }
                else if (childWritten && record.DurableExecutionArn == parentArn)
                {
                    throw new SimulatedKill();
                }
            };
            Assert.Throws<SimulatedKill>(() => engine.CompleteInvocation(childArn, child.RequestId,
                new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "42" }));
            Assert.True(childWritten);
        }
        finally
        {
            store.Dispose(); // the process is gone: only what was committed to the file survives
        }

        using var restarted = new SqliteExecutionStore(path);
        var after = new DurableExecutionEngine(restarted, clock, options);
        after.FailOrphanedInvocations(new ErrorObject { ErrorType = "Runtime.ExitError", ErrorMessage = "service restarted" });

        // Drive whatever the restarted service finds runnable: the child again if its completion was lost with the
        // kill, then the caller with the child's result.
        for (var round = 0; round < 10 && after.GetExecution(parentArn).Status == ExecutionStatus.Running; round++)
        {
            var next = after.TryBeginInvocation();
            if (next is null)
            {
                break;
            }

            if (next.DurableExecutionArn == childArn)
            {
                after.CompleteInvocation(childArn, next.RequestId,
                    new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "42" });
                continue;
            }

            var invoke = next.Input.InitialExecutionState!.Operations!.Single(o => o.Id == "i1");
            Assert.Equal(OperationStatus.Succeeded, invoke.Status);
            after.CompleteInvocation(parentArn, next.RequestId, new DurableExecutionInvocationOutput
            {
                Status = InvocationStatus.Succeeded,
                Result = invoke.ChainedInvokeDetails!.Result,
            });
        }

        Assert.Equal(ExecutionStatus.Succeeded, after.GetExecution(childArn).Status);
        var delivered = after.GetOperations(parentArn).Single(o => o.Id == "i1");
        Assert.Equal(OperationStatus.Succeeded, delivered.Status);
        Assert.Equal("42", delivered.ChainedInvokeDetails!.Result);
        Assert.Equal(ExecutionStatus.Succeeded, after.GetExecution(parentArn).Status);
        Assert.Equal("42", after.GetExecution(parentArn).Result);
    }

    [Fact]
    public void A_kill_between_a_timed_out_childs_save_and_its_delivery_still_times_out_the_callers_invoke()
    {
        // The same two writes from the timer path: the child's execution timeout fires and is delivered.
        var path = Path.Combine(_directory, "timers.db");
        var clock = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = 0;
        var options = new EngineOptions { IdFactory = () => "id-" + (++ids), DefaultExecutionTimeoutSeconds = 30 };

        string parentArn;
        var store = new SqliteExecutionStore(path);
        try
        {
            var engine = new DurableExecutionEngine(store, clock, options);
            parentArn = engine.StartExecution(new StartExecutionRequest
            {
                FunctionName = "order-flow", Payload = "{}", ExecutionTimeoutSeconds = 3600,
            }).DurableExecutionArn;
            var parent = engine.TryBeginInvocation()!;
            engine.Checkpoint(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = parentArn,
                CheckpointToken = parent.Input.CheckpointToken!,
                Updates = new[] { InvokePricing() },
            });
            engine.CompleteInvocation(parentArn, parent.RequestId,
                new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });

            clock.Advance(TimeSpan.FromSeconds(31));
            var childWritten = false;
            store.BeforeWrite = record =>
            {
                if (record.DurableExecutionArn != parentArn)
                {
                    childWritten = true;
                }
                else if (childWritten)
                {
                    throw new SimulatedKill();
                }
            };
            Assert.Throws<SimulatedKill>(() => engine.FireDueTimers());
        }
        finally
        {
            store.Dispose();
        }

        using var restarted = new SqliteExecutionStore(path);
        var after = new DurableExecutionEngine(restarted, clock, options);
        after.FailOrphanedInvocations(new ErrorObject { ErrorType = "Runtime.ExitError", ErrorMessage = "service restarted" });
        after.FireDueTimers();

        var invoke = after.GetOperations(parentArn).Single(o => o.Id == "i1");
        Assert.Equal(OperationStatus.TimedOut, invoke.Status);
        Assert.Equal(DurableExecutionEngine.ExecutionTimeoutErrorType, invoke.ChainedInvokeDetails!.Error!.ErrorType);
        Assert.True(after.IsRunnable(parentArn));
    }

    private static OperationUpdate InvokePricing() => new()
    {
        Id = "i1", Type = OperationType.ChainedInvoke, SubType = "ChainedInvoke", Action = OperationAction.Start,
        Name = "call", Payload = "{\"n\":1}", ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = "pricing" },
    };

    private sealed class SimulatedKill : Exception
    {
        public SimulatedKill()
            : base("simulated kill of the service process")
        {
        }
    }
}
