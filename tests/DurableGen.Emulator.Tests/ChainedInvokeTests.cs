using System.Linq;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class ChainedInvokeTests
{
    private static OperationUpdate Invoke(string id, string function) => new()
    {
        Id = id, Type = OperationType.ChainedInvoke, SubType = "ChainedInvoke", Action = OperationAction.Start, Name = "call",
        Payload = "{\"n\":1}", ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = function, TenantId = "t1" },
    };

    [Fact]
    public void Chained_invoke_starts_a_child_execution_and_delivers_its_result_after_the_caller_invocation_ends()
    {
        var h = new Harness();
        var parent = h.StartAndBegin();
        parent.Checkpoint(Invoke("i1", "pricing:$LATEST"));
        var started = h.History(parent.Arn).Last();
        var details = started.ChainedInvokeStartedDetails!;
        Assert.Equal("pricing:$LATEST", details.FunctionName);
        Assert.Equal("t1", details.TenantId);
        Assert.Equal("{\"n\":1}", details.Input!.Payload);
        Assert.Equal("$LATEST", details.ExecutedVersion);
        var childArn = details.DurableExecutionArn!;
        Assert.Equal(childArn, h.Engine.ListExecutions("pricing").Single().DurableExecutionArn);
        Assert.Equal("{\"n\":1}", h.Engine.GetExecution(childArn).InputPayload);

        // The child succeeds while the caller is still running: delivered only after the caller's invocation ends.
        var child = h.Begin();
        Assert.Equal(childArn, child.Arn);
        child.Complete(InvocationStatus.Succeeded, "42");
        Assert.Equal(OperationStatus.Started, h.Operation(parent.Arn, "i1").Status);
        parent.Complete(InvocationStatus.Pending);

        var op = h.Operation(parent.Arn, "i1");
        Assert.Equal(OperationStatus.Succeeded, op.Status);
        Assert.Equal("42", op.ChainedInvokeDetails!.Result);
        var events = h.History(parent.Arn);
        Assert.Equal(EventType.InvocationCompleted, events[^2].EventType);
        Assert.Equal(EventType.ChainedInvokeSucceeded, events[^1].EventType);
        Assert.Equal("42", events[^1].ChainedInvokeSucceededDetails!.Result!.Payload);
        Assert.Equal(new[] { "i1" }, h.Begin().Input.UpdatedOperationIds);
    }

    [Fact]
    public void A_child_timing_out_in_the_same_timer_pass_as_its_parents_wait_loses_neither_change()
    {
        // Timers of both fire in one pass; the child's timeout is delivered to the parent while the parent's own wait
        // is also due. Each execution is loaded, fired and saved in turn, so neither save overwrites the other.
        var h = new Harness(new EngineOptions { DefaultExecutionTimeoutSeconds = 30 });
        var parent = h.StartAndBegin(timeoutSeconds: 3600);
        parent.Checkpoint(U.WaitStart("w1", 60), Invoke("i1", "pricing"));
        parent.Complete(InvocationStatus.Pending);

        h.Advance(61);
        Assert.Equal(2, h.Engine.FireDueTimers());

        Assert.Equal(OperationStatus.Succeeded, h.Operation(parent.Arn, "w1").Status);
        Assert.Equal(OperationStatus.TimedOut, h.Operation(parent.Arn, "i1").Status);
        var types = h.EventTypes(parent.Arn);
        Assert.Single(types, t => t == EventType.WaitSucceeded);
        Assert.Single(types, t => t == EventType.ChainedInvokeTimedOut);
        Assert.True(h.Engine.IsRunnable(parent.Arn));
    }

    [Fact]
    public void A_failing_child_fails_the_chained_invoke()
    {
        var h = new Harness();
        var parent = h.StartAndBegin();
        parent.Checkpoint(Invoke("i1", "pricing"));
        parent.Complete(InvocationStatus.Pending);
        var child = h.Begin();
        child.Complete(InvocationStatus.Failed, error: new ErrorObject { ErrorType = "Nope", ErrorMessage = "child failed" });
        Assert.Equal(OperationStatus.Failed, h.Operation(parent.Arn, "i1").Status);
        Assert.Equal("Nope", h.History(parent.Arn).Last().ChainedInvokeFailedDetails!.Error!.Payload!.ErrorType);
        Assert.True(h.Engine.IsRunnable(parent.Arn));
    }

    [Fact]
    public void Cancel_stops_the_child()
    {
        var h = new Harness();
        var parent = h.StartAndBegin();
        parent.Checkpoint(Invoke("i1", "pricing"));
        var childArn = h.History(parent.Arn).Last().ChainedInvokeStartedDetails!.DurableExecutionArn!;
        parent.Checkpoint(new OperationUpdate { Id = "i1", Type = OperationType.ChainedInvoke, Action = OperationAction.Cancel });
        Assert.Equal(OperationStatus.Stopped, h.Operation(parent.Arn, "i1").Status);
        Assert.Equal(EventType.ChainedInvokeStopped, h.History(parent.Arn).Last().EventType);
        Assert.Equal(ExecutionStatus.Stopped, h.Engine.GetExecution(childArn).Status);
        Assert.Single(h.History(parent.Arn), e => e.EventType == EventType.ChainedInvokeStopped);
    }
}
