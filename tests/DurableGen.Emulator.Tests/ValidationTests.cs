using System;
using System.Linq;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class ValidationTests
{
    private static DurableServiceException Reject(params OperationUpdate[] updates)
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var events = h.History(inv.Arn).Count;
        var error = Harness.Rejects(() => inv.Checkpoint(updates));
        Assert.Equal(400, error.StatusCode);
        Assert.DoesNotContain("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
        Assert.Equal(events, h.History(inv.Arn).Count); // atomic: nothing recorded
        return error;
    }

    private static DurableServiceException RejectAfter(OperationUpdate[] setup, params OperationUpdate[] updates)
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(setup);
        return Harness.Rejects(() => inv.Checkpoint(updates));
    }

    [Fact]
    public void Multiple_execution_updates_are_rejected() =>
        Assert.Equal("Cannot checkpoint multiple EXECUTION updates.",
            Reject(U.ExecutionSucceed("1"), U.ExecutionSucceed("2")).Message);

    [Fact]
    public void Execution_update_must_be_last() =>
        Assert.Equal("EXECUTION checkpoint must be the last update.",
            Reject(U.ExecutionSucceed("1"), U.StepStart("s1")).Message);

    [Fact]
    public void Update_without_id_is_rejected() =>
        Assert.Equal("Every update must have an Id.", Reject(U.StepStart("")).Message);

    [Fact]
    public void Same_wait_twice_in_one_request_is_rejected() =>
        Assert.Contains("same operation twice", Reject(U.WaitStart("w", 5), U.WaitStart("w", 5)).Message, StringComparison.Ordinal);

    [Fact]
    public void Step_start_twice_or_succeed_twice_in_one_request_is_rejected()
    {
        Assert.Contains("same operation twice", Reject(U.StepStart("s"), U.StepStart("s")).Message, StringComparison.Ordinal);
        Assert.Contains("same operation twice", Reject(U.StepSucceed("s", "1"), U.StepSucceed("s", "1")).Message, StringComparison.Ordinal);
        Assert.Contains("same operation twice",
            Reject(U.StepStart("s"), U.StepSucceed("s", "1"), U.StepSucceed("s", "1")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parent_must_be_an_existing_or_earlier_started_context()
    {
        Assert.StartsWith("Invalid parent operation id.", Reject(U.StepStart("c1", parentId: "ctx")).Message, StringComparison.Ordinal);
        // A context started later in the same request does not count.
        Assert.StartsWith("Invalid parent operation id.",
            Reject(U.StepStart("c1", parentId: "ctx"), U.ContextStart("ctx")).Message, StringComparison.Ordinal);
        // A STEP is not a valid parent.
        Assert.StartsWith("Invalid parent operation id.",
            RejectAfter(new[] { U.StepStart("s") }, U.StepStart("c1", parentId: "s")).Message, StringComparison.Ordinal);

        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.ContextStart("ctx"), U.StepStart("c1", parentId: "ctx"));
        inv.Checkpoint(U.StepStart("c2", parentId: "ctx")); // existing parent
        Assert.Equal("ctx", h.Operation(inv.Arn, "c2").ParentId);
    }

    [Fact]
    public void Unknown_operation_type_is_rejected()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var body = $"{{\"CheckpointToken\":\"{inv.Token}\",\"Updates\":[{{\"Id\":\"x\",\"Type\":\"TELEPORT\",\"Action\":\"START\"}}]}}";
        var error = Harness.Rejects(() => h.CheckpointRaw(inv.Arn, body));
        Assert.Equal("Unknown operation type.", error.Message);
    }

    [Theory]
    [InlineData(OperationType.Execution, OperationAction.Start)]
    [InlineData(OperationType.Execution, OperationAction.Retry)]
    [InlineData(OperationType.Execution, OperationAction.Cancel)]
    [InlineData(OperationType.Step, OperationAction.Cancel)]
    [InlineData(OperationType.Context, OperationAction.Retry)]
    [InlineData(OperationType.Context, OperationAction.Cancel)]
    [InlineData(OperationType.Wait, OperationAction.Succeed)]
    [InlineData(OperationType.Wait, OperationAction.Retry)]
    [InlineData(OperationType.Callback, OperationAction.Succeed)]
    [InlineData(OperationType.Callback, OperationAction.Fail)]
    [InlineData(OperationType.ChainedInvoke, OperationAction.Succeed)]
    public void Action_not_allowed_for_type_is_rejected(OperationType type, OperationAction action) =>
        Assert.Equal("Invalid action for the given operation type.",
            Reject(new OperationUpdate { Id = "op", Type = type, Action = action }).Message);

    [Fact]
    public void Status_preconditions_of_the_action_matrix_are_enforced()
    {
        // STEP START only when absent or READY.
        Assert.Contains("SUCCEEDED", RejectAfter(new[] { U.StepSucceed("s", "1") }, U.StepStart("s")).Message, StringComparison.Ordinal);
        Assert.Contains("STARTED", RejectAfter(new[] { U.StepStart("s") }, U.StepStart("s")).Message, StringComparison.Ordinal);
        // STEP SUCCEED/FAIL/RETRY not on a closed or pending step.
        RejectAfter(new[] { U.StepSucceed("s", "1") }, U.StepSucceed("s", "2"));
        RejectAfter(new[] { U.StepRetry("s", 5) }, U.StepSucceed("s", "2"));
        RejectAfter(new[] { U.StepFail("s", new ErrorObject()) }, U.StepRetry("s", 1));
        // CONTEXT START only when absent; SUCCEED only when absent or STARTED.
        RejectAfter(new[] { U.ContextStart("c") }, U.ContextStart("c"));
        RejectAfter(new[] { U.ContextSucceed("c", "1") }, U.ContextSucceed("c", "1"));
        // WAIT / CALLBACK START only when absent; CANCEL only when STARTED.
        RejectAfter(new[] { U.WaitStart("w", 5) }, U.WaitStart("w", 5));
        RejectAfter(new[] { U.CallbackStart("cb") }, U.CallbackStart("cb"));
        Assert.Contains("does not exist", Reject(new OperationUpdate { Id = "w", Type = OperationType.Wait, Action = OperationAction.Cancel }).Message, StringComparison.Ordinal);
        Reject(new OperationUpdate { Id = "cb", Type = OperationType.Callback, Action = OperationAction.Cancel });
    }

    [Fact]
    public void Succeed_with_error_and_fail_with_payload_are_rejected()
    {
        Assert.Contains("SUCCEED update cannot carry an Error",
            Reject(new OperationUpdate { Id = "s", Type = OperationType.Step, Action = OperationAction.Succeed, Error = new ErrorObject() }).Message,
            StringComparison.Ordinal);
        Assert.Contains("FAIL update cannot carry a Payload",
            Reject(new OperationUpdate { Id = "s", Type = OperationType.Step, Action = OperationAction.Fail, Payload = "1" }).Message,
            StringComparison.Ordinal);
        Reject(new OperationUpdate { Id = "e", Type = OperationType.Execution, Action = OperationAction.Succeed, Error = new ErrorObject() });
        Reject(new OperationUpdate { Id = "e", Type = OperationType.Execution, Action = OperationAction.Fail, Payload = "x" });
    }

    [Fact]
    public void Retry_needs_step_options_and_not_both_error_and_payload()
    {
        Assert.Contains("StepOptions is required",
            Reject(new OperationUpdate { Id = "s", Type = OperationType.Step, Action = OperationAction.Retry }).Message, StringComparison.Ordinal);
        Assert.Contains("NextAttemptDelaySeconds", Reject(U.StepRetry("s", 0)).Message, StringComparison.Ordinal);
        Assert.Contains("both Error and Payload",
            Reject(U.StepRetry("s", 5, new ErrorObject { ErrorMessage = "x" }, "1")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wait_start_needs_wait_seconds_in_range()
    {
        Reject(new OperationUpdate { Id = "w", Type = OperationType.Wait, Action = OperationAction.Start });
        Assert.Contains("WaitSeconds", Reject(U.WaitStart("w", 0)).Message, StringComparison.Ordinal);
        Reject(U.WaitStart("w", 31_622_401));
    }

    [Fact]
    public void Oversized_error_is_rejected()
    {
        var error = new ErrorObject { ErrorMessage = new string('x', 40_000) };
        Assert.Equal("Error object size must be less than 32768 bytes.", Reject(U.StepFail("s", error)).Message);
    }

    [Fact]
    public void Malformed_ids_names_and_subtypes_are_rejected()
    {
        Reject(U.StepStart("bad id"));
        Reject(U.StepStart("s", name: "caf\u00e9"));
        Reject(new OperationUpdate { Id = "s", Type = OperationType.Step, Action = OperationAction.Start, SubType = "has space" });
    }

    [Fact]
    public void Updates_inconsistent_with_the_stored_operation_are_rejected()
    {
        Assert.StartsWith("Inconsistent operation name.",
            RejectAfter(new[] { U.StepStart("s", name: "a") }, U.StepSucceed("s", "1", name: "b")).Message, StringComparison.Ordinal);
        Assert.StartsWith("Inconsistent operation type.",
            RejectAfter(new[] { U.ContextStart("s") }, new OperationUpdate { Id = "s", Type = OperationType.Step, Action = OperationAction.Succeed }).Message,
            StringComparison.Ordinal);
        Assert.StartsWith("Inconsistent operation subtype.",
            RejectAfter(new[] { U.StepStart("s") },
                new OperationUpdate { Id = "s", Type = OperationType.Step, SubType = "WaitForCondition", Action = OperationAction.Succeed }).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejected_request_applies_nothing_and_keeps_the_token()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var token = inv.Token;
        Harness.Rejects(() => inv.Checkpoint(U.StepStart("s1"), U.StepSucceed("s1", "1"), U.WaitStart("w", 0)));
        Assert.Single(h.Engine.GetOperations(inv.Arn)); // only the EXECUTION record
        Assert.Equal(new[] { EventType.ExecutionStarted }, h.EventTypes(inv.Arn));
        Assert.Equal(token, inv.Token);
        inv.Checkpoint(U.StepStart("s1")); // token was not consumed
        Assert.Equal(2, h.Engine.GetOperations(inv.Arn).Count);
    }

    [Fact]
    public void Chained_invoke_start_needs_a_function_name()
    {
        Assert.Contains("FunctionName",
            Reject(new OperationUpdate { Id = "i", Type = OperationType.ChainedInvoke, Action = OperationAction.Start }).Message,
            StringComparison.Ordinal);
        Assert.Empty(new Harness().Engine.ListExecutions("order-flow"));
        var h = new Harness();
        var inv = h.StartAndBegin();
        Harness.Rejects(() => inv.Checkpoint(new OperationUpdate
        {
            Id = "i", Type = OperationType.ChainedInvoke, Action = OperationAction.Start,
            ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = "bad name!" },
        }));
        Assert.Single(h.Engine.ListExecutions("order-flow"));
        Assert.True(h.Engine.GetOperations(inv.Arn).All(o => o.Type == OperationType.Execution));
    }
}
