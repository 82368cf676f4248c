using System;
using System.Linq;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class TransitionTests
{
    [Fact]
    public void Start_and_succeed_in_one_request_give_two_consecutive_events_and_one_succeeded_record()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var response = inv.Checkpoint(U.StepStart("s1", "charge-card"), U.StepSucceed("s1", "{\"chargeId\":\"ch_1\"}", "charge-card"));

        var op = Assert.Single(response.NewExecutionState.Operations!);
        Assert.Equal(OperationStatus.Succeeded, op.Status);
        Assert.Equal(1, op.StepDetails!.Attempt);
        Assert.Equal("{\"chargeId\":\"ch_1\"}", op.StepDetails.Result);
        Assert.NotNull(op.StartTimestamp);
        Assert.NotNull(op.EndTimestamp);

        var events = h.History(inv.Arn);
        Assert.Equal(new[] { EventType.ExecutionStarted, EventType.StepStarted, EventType.StepSucceeded }, events.Select(e => e.EventType));
        Assert.Equal(new[] { 1, 2, 3 }, events.Select(e => e.EventId));
        Assert.Equal("charge-card", events[2].Name);
        Assert.Equal("Step", events[2].SubType);
        Assert.Equal(1, events[2].StepSucceededDetails!.RetryDetails!.CurrentAttempt);
        Assert.Null(events[2].StepSucceededDetails!.RetryDetails!.NextAttemptDelaySeconds);
        Assert.Equal("{\"chargeId\":\"ch_1\"}", events[2].StepSucceededDetails!.Result!.Payload);
    }

    [Fact]
    public void Retry_makes_the_step_pending_then_the_timer_makes_it_ready_without_an_event_and_runnable()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var t0 = h.Clock.GetUtcNow();
        var response = inv.Checkpoint(U.StepStart("s1"), U.StepRetry("s1", 5, new ErrorObject { ErrorType = "Boom", ErrorMessage = "x" }));
        var op = response.NewExecutionState.Operations!.Single();
        Assert.Equal(OperationStatus.Pending, op.Status);
        Assert.Equal(1, op.StepDetails!.Attempt);
        Assert.Equal(t0.AddSeconds(5), op.StepDetails.NextAttemptTimestamp);
        Assert.Null(op.EndTimestamp);

        var failed = h.History(inv.Arn).Last();
        Assert.Equal(EventType.StepFailed, failed.EventType);
        Assert.Equal(1, failed.StepFailedDetails!.RetryDetails!.CurrentAttempt);
        Assert.Equal(5, failed.StepFailedDetails.RetryDetails.NextAttemptDelaySeconds);
        Assert.Equal("Boom", failed.StepFailedDetails.Error!.Payload!.ErrorType);

        inv.Complete(InvocationStatus.Pending);
        Assert.False(h.Engine.IsRunnable(inv.Arn));
        Assert.Equal(t0.AddSeconds(5), h.Engine.NextDueTime);
        var eventsBefore = h.History(inv.Arn).Count;

        h.Advance(4);
        Assert.Equal(0, h.Engine.FireDueTimers());
        h.Advance(1);
        Assert.Equal(1, h.Engine.FireDueTimers());
        Assert.Equal(OperationStatus.Ready, h.Operation(inv.Arn, "s1").Status);
        Assert.Equal(eventsBefore, h.History(inv.Arn).Count); // no event for READY
        Assert.True(h.Engine.IsRunnable(inv.Arn));

        var second = h.Begin();
        Assert.Equal(new[] { "s1" }, second.Input.UpdatedOperationIds);
        Assert.Equal(OperationStatus.Ready, second.Input.InitialExecutionState!.Operations!.Single(o => o.Id == "s1").Status);

        second.Checkpoint(U.StepStart("s1"));
        Assert.Equal(OperationStatus.Started, h.Operation(inv.Arn, "s1").Status);
        Assert.Equal(1, h.Operation(inv.Arn, "s1").StepDetails!.Attempt); // START keeps Attempt
        second.Checkpoint(U.StepSucceed("s1", "2"));
        Assert.Equal(2, h.Operation(inv.Arn, "s1").StepDetails!.Attempt);
        Assert.Equal(2, h.History(inv.Arn).Last().StepSucceededDetails!.RetryDetails!.CurrentAttempt);
    }

    [Fact]
    public void Retry_without_error_records_step_succeeded_with_the_next_delay()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepRetry("poll", 3, payload: "{\"n\":1}"));
        var e = h.History(inv.Arn).Last();
        Assert.Equal(EventType.StepSucceeded, e.EventType);
        Assert.Equal("{\"n\":1}", e.StepSucceededDetails!.Result!.Payload);
        Assert.Equal(3, e.StepSucceededDetails.RetryDetails!.NextAttemptDelaySeconds);
        Assert.Equal("{\"n\":1}", h.Operation(inv.Arn, "poll").StepDetails!.Result);
    }

    [Fact]
    public void Wait_start_schedules_the_end_and_the_timer_succeeds_it_with_an_event_and_reinvokes()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var t0 = h.Clock.GetUtcNow();
        var op = inv.Checkpoint(U.WaitStart("w", 30, "cool-off")).NewExecutionState.Operations!.Single();
        Assert.Equal(OperationStatus.Started, op.Status);
        Assert.Equal(t0.AddSeconds(30), op.WaitDetails!.ScheduledEndTimestamp);

        var started = h.History(inv.Arn).Last();
        Assert.Equal(30, started.WaitStartedDetails!.Duration);
        Assert.Equal(t0.AddSeconds(30), started.WaitStartedDetails.ScheduledEndTimestamp);

        inv.Complete(InvocationStatus.Pending);
        Assert.Null(h.Engine.TryBeginInvocation());
        h.Clock.SetUtcNow(h.Engine.NextDueTime!.Value);
        Assert.Equal(1, h.Engine.FireDueTimers());

        var succeeded = h.History(inv.Arn).Last();
        Assert.Equal(EventType.WaitSucceeded, succeeded.EventType);
        Assert.Equal(30, succeeded.WaitSucceededDetails!.Duration);
        Assert.Equal("cool-off", succeeded.Name);
        Assert.Equal("Wait", succeeded.SubType);
        var waited = h.Operation(inv.Arn, "w");
        Assert.Equal(OperationStatus.Succeeded, waited.Status);
        Assert.Equal(t0.AddSeconds(30), waited.EndTimestamp);
        Assert.Equal(new[] { "w" }, h.Begin().Input.UpdatedOperationIds);
    }

    [Fact]
    public void Wait_cancel_records_wait_cancelled()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.WaitStart("w", 30));
        inv.Checkpoint(new OperationUpdate { Id = "w", Type = OperationType.Wait, Action = OperationAction.Cancel });
        Assert.Equal(OperationStatus.Cancelled, h.Operation(inv.Arn, "w").Status);
        Assert.Equal(EventType.WaitCancelled, h.History(inv.Arn).Last().EventType);
        Assert.Equal(h.Engine.GetSchedulingState(inv.Arn).NextDueTime, h.Describe(inv.Arn).StartTimestamp.AddSeconds(86400));
    }

    [Fact]
    public void New_execution_state_has_every_change_since_the_last_response_including_service_changes()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var cb = inv.Checkpoint(U.CallbackStart("cb")).NewExecutionState.Operations!.Single();
        Assert.False(string.IsNullOrEmpty(cb.CallbackDetails!.CallbackId));

        h.Engine.SendCallbackSuccess(cb.CallbackDetails.CallbackId!, "\"yes\"");
        var response = inv.Checkpoint(U.StepStart("s2"));
        Assert.Equal(new[] { "cb", "s2" }, response.NewExecutionState.Operations!.Select(o => o.Id)); // creation order
        Assert.Equal("\"yes\"", response.NewExecutionState.Operations![0].CallbackDetails!.Result);
        Assert.Empty(inv.Checkpoint().NewExecutionState.Operations!); // delivered once

        // The change arrived during the invocation: re-invoked after it ends, even though it returned PENDING.
        inv.Complete(InvocationStatus.Pending);
        var next = h.Begin();
        Assert.Equal(new[] { "cb" }, next.Input.UpdatedOperationIds);
    }

    [Fact]
    public void Execution_succeed_checkpoint_closes_the_execution_and_the_later_output_is_ignored()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1"), U.StepSucceed("s1", "1"), U.ExecutionSucceed("{\"big\":true}"));
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(inv.Arn).Status);
        Assert.Equal("{\"big\":true}", h.Describe(inv.Arn).Result);
        var error = Harness.Rejects(() => inv.Checkpoint(U.StepStart("s2")));
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);

        inv.Complete(InvocationStatus.Succeeded, "");
        var types = h.EventTypes(inv.Arn);
        Assert.Equal(new[]
        {
            EventType.ExecutionStarted, EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded,
        }, types);
        Assert.Equal("{\"big\":true}", h.History(inv.Arn).Last().ExecutionSucceededDetails!.Result!.Payload);
        Assert.Equal(OperationStatus.Succeeded, h.Engine.GetOperations(inv.Arn)[0].Status);
    }

    [Fact]
    public void Execution_fail_checkpoint_closes_the_execution_as_failed()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.ExecutionFail(new ErrorObject { ErrorType = "Oops", ErrorMessage = "bad" }));
        inv.Complete(InvocationStatus.Failed);
        var described = h.Describe(inv.Arn);
        Assert.Equal(ExecutionStatus.Failed, described.Status);
        Assert.Equal("Oops", described.Error!.ErrorType);
        Assert.Equal(EventType.ExecutionFailed, h.History(inv.Arn).Last().EventType);
        Assert.Single(h.History(inv.Arn), e => e.EventType == EventType.ExecutionFailed);
    }

    [Fact]
    public void Children_of_a_completed_context_are_pruned_unless_replay_children_is_set()
    {
        var h2 = new Harness();
        var first = h2.StartAndBegin();
        first.Checkpoint(
            U.ContextStart("ctx"), U.ContextStart("inner", parentId: "ctx"),
            U.StepStart("leaf", parentId: "inner"), U.StepSucceed("leaf", "1", parentId: "inner"),
            U.ContextSucceed("inner", "1", parentId: "ctx"), U.ContextSucceed("ctx", "\"done\""),
            U.ContextStart("keep", replayChildren: true), U.StepStart("kept", parentId: "keep"),
            U.StepSucceed("kept", "2", parentId: "keep"), U.ContextSucceed("keep", "\"\""),
            U.WaitStart("w", 1));
        Assert.Equal("ctx", h2.History(first.Arn).Single(e => e.Id == "inner" && e.EventType == EventType.ContextStarted).ParentId);
        first.Complete(InvocationStatus.Pending);
        h2.Advance(1);
        h2.Engine.FireDueTimers();
        var second = h2.Begin();
        var ids = second.Input.InitialExecutionState!.Operations!.Select(o => o.Id).ToList();
        Assert.Equal("id-2", ids[0]); // EXECUTION first (id-1 is the generated name)
        Assert.Equal(new[] { "ctx", "keep", "kept", "w" }, ids.Skip(1));
        Assert.Equal(ids, h2.State(second.Arn, second.Token).Operations.Select(o => o.Id));
        Assert.Equal(7, h2.Engine.GetOperations(second.Arn).Count); // nothing is deleted
    }
}
