using System;
using System.Linq;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class InvocationTests
{
    [Fact]
    public void Events_are_numbered_consecutively_with_invocation_completed_after_each_invocation_and_the_terminal_event_last()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1"), U.StepSucceed("s1", "1"));
        inv.Checkpoint(U.WaitStart("w", 30));
        inv.Complete(InvocationStatus.Pending);
        h.Advance(30);
        h.Engine.FireDueTimers();
        var second = h.Begin();
        second.Complete(InvocationStatus.Succeeded, "\"shipped\"");

        var events = h.History(inv.Arn);
        Assert.Equal(new[]
        {
            EventType.ExecutionStarted, EventType.StepStarted, EventType.StepSucceeded, EventType.WaitStarted,
            EventType.InvocationCompleted, EventType.WaitSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded,
        }, events.Select(e => e.EventType));
        Assert.Equal(Enumerable.Range(1, 8), events.Select(e => e.EventId));
        Assert.Equal(inv.RequestId, events[4].InvocationCompletedDetails!.RequestId);
        Assert.Equal(second.RequestId, events[6].InvocationCompletedDetails!.RequestId);
        Assert.NotEqual(inv.RequestId, second.RequestId);
        Assert.Null(events[4].Id);
        Assert.Equal("\"shipped\"", events[7].ExecutionSucceededDetails!.Result!.Payload);
        var described = h.Describe(inv.Arn);
        Assert.Equal(ExecutionStatus.Succeeded, described.Status);
        Assert.Equal("\"shipped\"", described.Result);
        Assert.NotNull(described.EndTimestamp);
        Assert.Null(h.Engine.TryBeginInvocation());
    }

    [Fact]
    public void Failed_output_fails_the_execution_after_invocation_completed()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Complete(InvocationStatus.Failed, error: new ErrorObject { ErrorType = "System.InvalidOperationException", ErrorMessage = "no" });
        var events = h.History(inv.Arn);
        Assert.Equal(EventType.InvocationCompleted, events[^2].EventType);
        Assert.Null(events[^2].InvocationCompletedDetails!.Error);
        Assert.Equal("no", events[^1].ExecutionFailedDetails!.Error!.Payload!.ErrorMessage);
        Assert.Equal(ExecutionStatus.Failed, h.Describe(inv.Arn).Status);
    }

    [Fact]
    public void A_crashed_invocation_is_fenced_and_reinvoked_at_once()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1"));
        inv.Crash();
        var dead = Harness.Rejects(() => inv.Checkpoint(U.StepSucceed("s1", "1")));
        Assert.StartsWith("Invalid Checkpoint Token", dead.Message, StringComparison.Ordinal);
        Harness.Rejects(() => h.State(inv.Arn, inv.Token));

        var events = h.History(inv.Arn);
        Assert.DoesNotContain(events, e => e.EventType == EventType.StepSucceeded);
        var completed = events.Last();
        Assert.Equal(EventType.InvocationCompleted, completed.EventType);
        Assert.Equal("Runtime.ExitError", completed.InvocationCompletedDetails!.Error!.Payload!.ErrorType);

        Assert.True(h.Engine.IsRunnable(inv.Arn));
        var retry = h.Begin();
        Assert.Equal(OperationStatus.Started, retry.Input.InitialExecutionState!.Operations!.Single(o => o.Id == "s1").Status);
        retry.Checkpoint(U.StepSucceed("s1", "1"));
        retry.Complete(InvocationStatus.Succeeded, "1");
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(inv.Arn).Status);
        inv.Complete(InvocationStatus.Succeeded, "late"); // a late report from the dead invocation is ignored
        Assert.Single(h.History(inv.Arn), e => e.EventType == EventType.ExecutionSucceeded);
    }

    [Fact]
    public void Orphaned_invocations_are_failed_fenced_and_reinvoked_while_idle_executions_are_untouched()
    {
        var h = new Harness();
        var busy = h.StartAndBegin();
        busy.Checkpoint(U.StepStart("s1"));
        var waiting = h.StartAndBegin();
        waiting.Checkpoint(U.WaitStart("w1", 60));
        waiting.Complete(InvocationStatus.Pending);
        var closed = h.StartAndBegin();
        closed.Complete(InvocationStatus.Succeeded, "1");
        var queued = h.Start(); // started, never invoked yet

        var failed = h.Engine.FailOrphanedInvocations(
            new ErrorObject { ErrorType = "LocalService.Restarted", ErrorMessage = "the service restarted" });

        Assert.Equal(1, failed);
        Harness.Rejects(() => busy.Checkpoint(U.StepSucceed("s1", "1")));
        var completed = h.History(busy.Arn).Last();
        Assert.Equal(EventType.InvocationCompleted, completed.EventType);
        Assert.Equal("LocalService.Restarted", completed.InvocationCompletedDetails!.Error!.Payload!.ErrorType);
        Assert.Equal(busy.RequestId, completed.InvocationCompletedDetails.RequestId);
        Assert.Equal(EventType.InvocationCompleted, h.History(waiting.Arn).Last().EventType);
        Assert.Null(h.History(waiting.Arn).Last().InvocationCompletedDetails!.Error);
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(closed.Arn).Status);
        Assert.Equal(0, h.Engine.FailOrphanedInvocations(new ErrorObject { ErrorType = "again" }));

        // The two runnable executions are the orphaned one (runnable again) and the one that was never invoked.
        var next = new[] { h.Begin(), h.Begin() };
        Assert.Equal(new[] { busy.Arn, queued }.OrderBy(a => a), next.Select(i => i.Arn).OrderBy(a => a));
        var retry = next.Single(i => i.Arn == busy.Arn);
        Assert.Equal(OperationStatus.Started, retry.Input.InitialExecutionState!.Operations!.Single(o => o.Id == "s1").Status);
        Assert.Null(h.Engine.TryBeginInvocation());
    }

    [Fact]
    public async System.Threading.Tasks.Task Several_invocations_begin_in_one_request_longest_waiting_first()
    {
        var h = new Harness();
        var arns = Enumerable.Range(0, 3).Select(i => h.Start(name: "e" + i)).ToArray();

        var first = await h.Engine.TryBeginInvocationsAsync(2);
        Assert.Equal(arns.Take(2), first.Select(i => i.DurableExecutionArn));
        Assert.All(first, i => Assert.True(h.Engine.HasActiveInvocation(i.DurableExecutionArn)));
        Assert.Equal(2, first.Select(i => i.RequestId).Distinct().Count());
        Assert.All(first, i => Assert.Equal(OperationType.Execution, i.Input.InitialExecutionState!.Operations![0].Type));

        var rest = await h.Engine.TryBeginInvocationsAsync(5);
        Assert.Equal(arns[2], Assert.Single(rest).DurableExecutionArn);
        Assert.Empty(await h.Engine.TryBeginInvocationsAsync(5));
        Assert.Null(h.Engine.TryBeginInvocation());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.Engine.TryBeginInvocationsAsync(0));
    }

    [Fact]
    public void Repeated_crashes_fail_the_execution_after_the_limit()
    {
        var h = new Harness(new EngineOptions { MaxConsecutiveInvocationFailures = 3 });
        var arn = h.Start();
        for (var i = 0; i < 3; i++)
        {
            h.Begin().Crash("crash " + i);
        }

        Assert.Null(h.Engine.TryBeginInvocation());
        var events = h.History(arn);
        Assert.Equal(3, events.Count(e => e.EventType == EventType.InvocationCompleted));
        Assert.Equal(EventType.ExecutionFailed, events.Last().EventType);
        Assert.Equal("crash 2", events.Last().ExecutionFailedDetails!.Error!.Payload!.ErrorMessage);
        Assert.Equal(ExecutionStatus.Failed, h.Describe(arn).Status);
    }

    [Fact]
    public void Pending_output_with_nothing_pending_is_a_failed_invocation()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1"), U.StepSucceed("s1", "1"));
        inv.Complete(InvocationStatus.Pending);
        var completed = h.History(inv.Arn).Last();
        Assert.Equal(EventType.InvocationCompleted, completed.EventType);
        Assert.Equal("Cannot return PENDING status with no pending operations.",
            completed.InvocationCompletedDetails!.Error!.Payload!.ErrorMessage);
        Assert.True(h.Engine.IsRunnable(inv.Arn));
        Assert.Equal(ExecutionStatus.Running, h.Describe(inv.Arn).Status);
    }

    [Fact]
    public void Succeeded_output_with_an_error_is_invalid()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Complete(InvocationStatus.Succeeded, "1", new ErrorObject { ErrorMessage = "x" });
        Assert.NotNull(h.History(inv.Arn).Last().InvocationCompletedDetails!.Error);
        Assert.Equal(ExecutionStatus.Running, h.Describe(inv.Arn).Status);
    }

    [Fact]
    public void Only_one_invocation_per_execution_at_a_time()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var id = inv.Checkpoint(U.CallbackStart("cb")).NewExecutionState.Operations!.Single().CallbackDetails!.CallbackId!;
        h.Engine.SendCallbackSuccess(id, "1");
        Assert.True(h.Engine.IsRunnable(inv.Arn));
        Assert.True(h.Engine.HasActiveInvocation(inv.Arn));
        Assert.Null(h.Engine.TryBeginInvocation());
        inv.Complete(InvocationStatus.Pending);
        Assert.NotNull(h.Engine.TryBeginInvocation());
    }

    [Fact]
    public void Envelope_is_paged_and_the_rest_comes_from_get_execution_state()
    {
        var h = new Harness(new EngineOptions { EnvelopeMaxOperations = 2 });
        var inv = h.StartAndBegin();
        Assert.Single(inv.Input.InitialExecutionState!.Operations!);
        Assert.Null(inv.Input.InitialExecutionState.NextMarker);
        for (var i = 1; i <= 4; i++)
        {
            inv.Checkpoint(U.StepStart("s" + i), U.StepSucceed("s" + i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        inv.Checkpoint(U.WaitStart("w", 1));
        inv.Complete(InvocationStatus.Pending);
        h.Advance(1);
        h.Engine.FireDueTimers();

        var next = h.Begin();
        var first = next.Input.InitialExecutionState!;
        Assert.Equal(2, first.Operations!.Count);
        Assert.Equal(OperationType.Execution, first.Operations[0].Type);
        Assert.False(string.IsNullOrEmpty(first.NextMarker));
        Assert.Contains("\"StartTimestamp\":17672256", next.EnvelopeJson, StringComparison.Ordinal); // epoch ms

        var ids = first.Operations.Select(o => o.Id).ToList();
        var marker = first.NextMarker;
        while (!string.IsNullOrEmpty(marker))
        {
            var page = h.State(next.Arn, next.Token, marker, 2);
            Assert.True(page.Operations.Count <= 2);
            ids.AddRange(page.Operations.Select(o => o.Id));
            marker = page.NextMarker;
        }

        Assert.Equal(new[] { "s1", "s2", "s3", "s4", "w" }, ids.Skip(1));
        var stale = first.NextMarker;
        next.Checkpoint();
        Harness.Rejects(() => h.State(next.Arn, next.Token, stale)); // markers die with the token
        Harness.Rejects(() => h.State(next.Arn, next.Token, maxItems: 1001));
    }

    [Fact]
    public void Envelope_pages_are_bounded_by_bytes_but_carry_at_least_one_record()
    {
        var h = new Harness(new EngineOptions { MaxPageBytes = 300 });
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1"), U.StepSucceed("s1", "\"" + new string('a', 400) + "\""));
        inv.Checkpoint(U.WaitStart("w", 1));
        inv.Complete(InvocationStatus.Pending);
        h.Advance(1);
        h.Engine.FireDueTimers();
        var next = h.Begin();
        Assert.Single(next.Input.InitialExecutionState!.Operations!);
        var page = h.State(next.Arn, next.Token, next.Input.InitialExecutionState.NextMarker);
        Assert.Equal("s1", page.Operations.Single().Id);
        Assert.Equal("w", h.State(next.Arn, next.Token, page.NextMarker).Operations.Single().Id);
    }

    [Fact]
    public void Execution_times_out_and_is_no_longer_runnable()
    {
        var h = new Harness();
        var inv = h.StartAndBegin(timeoutSeconds: 60);
        inv.Checkpoint(U.WaitStart("w", 3600));
        inv.Complete(InvocationStatus.Pending);
        Assert.Equal(h.Describe(inv.Arn).StartTimestamp.AddSeconds(60), h.Engine.NextDueTime);
        h.Advance(60);
        Assert.Equal(1, h.Engine.FireDueTimers());
        var described = h.Describe(inv.Arn);
        Assert.Equal(ExecutionStatus.TimedOut, described.Status);
        Assert.NotNull(described.Error);
        Assert.Equal(EventType.ExecutionTimedOut, h.History(inv.Arn).Last().EventType);
        Assert.Null(h.Engine.TryBeginInvocation());
        Assert.Null(h.Engine.NextDueTime);
        Assert.Equal(OperationStatus.TimedOut, h.Engine.GetOperations(inv.Arn)[0].Status);
    }

    [Fact]
    public void Closing_during_an_invocation_defers_the_terminal_event_until_after_invocation_completed()
    {
        var h = new Harness();
        var inv = h.StartAndBegin(timeoutSeconds: 10);
        h.Advance(10);
        h.Engine.FireDueTimers();
        Assert.Equal(ExecutionStatus.TimedOut, h.Describe(inv.Arn).Status);
        Assert.Equal(new[] { EventType.ExecutionStarted }, h.EventTypes(inv.Arn));
        Harness.Rejects(() => inv.Checkpoint(U.StepStart("s")));
        inv.Complete(InvocationStatus.Succeeded, "ignored");
        Assert.Equal(new[] { EventType.ExecutionStarted, EventType.InvocationCompleted, EventType.ExecutionTimedOut }, h.EventTypes(inv.Arn));
        Assert.Equal(ExecutionStatus.TimedOut, h.Describe(inv.Arn).Status);
    }

    [Fact]
    public void Stop_closes_the_execution_with_the_default_error()
    {
        var h = new Harness();
        var arn = h.Start();
        var stopped = h.Engine.StopExecution(arn);
        var described = h.Describe(arn);
        Assert.Equal(ExecutionStatus.Stopped, described.Status);
        Assert.Equal(stopped, described.EndTimestamp);
        Assert.Equal("Execution stopped by user request", described.Error!.ErrorMessage);
        Assert.Equal(EventType.ExecutionStopped, h.History(arn).Last().EventType);
        Assert.Null(h.Engine.TryBeginInvocation());
        h.Advance(5);
        Assert.Equal(stopped, h.Engine.StopExecution(arn)); // already closed: the existing end time
    }

    [Fact]
    public void Stop_during_an_invocation_closes_it_at_the_stop_and_the_history_is_final_at_once()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1"));
        h.Advance(2);
        var stopped = h.Engine.StopExecution(inv.Arn);

        // Read while the function still runs: STOPPED, and the history already ends with the stop.
        Assert.Equal(ExecutionStatus.Stopped, h.Describe(inv.Arn).Status);
        var atStop = h.History(inv.Arn);
        Assert.Equal(new[] { EventType.ExecutionStarted, EventType.StepStarted, EventType.InvocationCompleted, EventType.ExecutionStopped },
            atStop.Select(e => e.EventType));
        var completed = atStop[2].InvocationCompletedDetails!;
        Assert.Equal(inv.RequestId, completed.RequestId);
        Assert.Equal(stopped, completed.EndTimestamp);
        Assert.Equal(stopped, atStop[3].EventTimestamp);
        Assert.False(h.Engine.HasActiveInvocation(inv.Arn));

        // The function answers later: its checkpoint is refused, its response and a crash report change nothing.
        h.Advance(5);
        Harness.Rejects(() => inv.Checkpoint(U.StepSucceed("s1", "1")));
        inv.Complete(InvocationStatus.Succeeded, "\"late\"");
        inv.Crash();
        var after = h.History(inv.Arn);
        Assert.Equal(atStop.Select(e => e.EventType), after.Select(e => e.EventType));
        Assert.Equal(after.Select(e => e.EventTimestamp).Order(), after.Select(e => e.EventTimestamp));
        Assert.Equal(ExecutionStatus.Stopped, h.Describe(inv.Arn).Status);
        Assert.Null(h.Describe(inv.Arn).Result);
        Assert.Null(h.Engine.TryBeginInvocation());
    }
}
