using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class SchedulerTests
{
    /// <summary>A hand-written "workflow" that speaks the protocol directly: step, 30 s wait, callback, step.</summary>
    private sealed class ScriptedFunction : IFunctionInvoker
    {
        private readonly DurableExecutionEngine _engine;

        public ScriptedFunction(DurableExecutionEngine engine) => _engine = engine;

        public int CrashesLeft { get; set; }

        public bool UseCallback { get; set; }

        public string? CallbackId { get; private set; }

        public List<string> Calls { get; } = new();

        public Task<DurableExecutionInvocationOutput> InvokeAsync(PendingInvocation invocation, CancellationToken cancellationToken)
        {
            Calls.Add(invocation.FunctionName);
            if (CrashesLeft > 0)
            {
                CrashesLeft--;
                throw new InvalidOperationException("boom");
            }

            var token = invocation.Input.CheckpointToken!;
            var ops = invocation.Input.InitialExecutionState!.Operations!.ToDictionary(o => o.Id);
            CheckpointDurableExecutionResponse Send(params OperationUpdate[] updates)
            {
                var response = _engine.Checkpoint(new CheckpointDurableExecutionRequest
                {
                    DurableExecutionArn = invocation.DurableExecutionArn, CheckpointToken = token, Updates = updates,
                });
                token = response.CheckpointToken!;
                return response;
            }

            if (!ops.ContainsKey("s1"))
            {
                Send(U.StepStart("s1"), U.StepSucceed("s1", "1"));
            }

            if (!ops.TryGetValue("w", out var wait))
            {
                Send(U.WaitStart("w", 30));
                return Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
            }

            if (wait.Status != OperationStatus.Succeeded)
            {
                return Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
            }

            if (UseCallback)
            {
                if (!ops.TryGetValue("cb", out var callback))
                {
                    CallbackId = Send(U.CallbackStart("cb")).NewExecutionState.Operations!.Single().CallbackDetails!.CallbackId;
                    return Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
                }

                if (callback.Status == OperationStatus.Started)
                {
                    return Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
                }
            }

            return Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"done\"" });
        }
    }

    [Fact]
    public async Task Runs_to_completion_skipping_time()
    {
        var h = new Harness();
        var function = new ScriptedFunction(h.Engine);
        var scheduler = new ExecutionScheduler(h.Engine, function, h.Clock);
        var arn = h.Start();
        var t0 = h.Clock.GetUtcNow();

        var reason = await scheduler.RunUntilClosedAsync(arn, skipTime: true);

        Assert.Equal(SchedulerStopReason.ConditionMet, reason);
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(arn).Status);
        Assert.Equal("\"done\"", h.Describe(arn).Result);
        Assert.Equal(2, scheduler.InvocationsRun);
        Assert.Equal(t0.AddSeconds(30), h.Clock.GetUtcNow());
        Assert.Equal(EventType.ExecutionSucceeded, h.History(arn).Last().EventType);
    }

    [Fact]
    public async Task Without_time_skipping_it_stops_idle_at_the_wait()
    {
        var h = new Harness();
        var scheduler = new ExecutionScheduler(h.Engine, new ScriptedFunction(h.Engine), h.Clock);
        var arn = h.Start();
        Assert.Equal(SchedulerStopReason.Idle, await scheduler.RunUntilIdleAsync(skipTime: false));
        Assert.Equal(ExecutionStatus.Running, h.Describe(arn).Status);
        Assert.Equal(EventType.InvocationCompleted, h.History(arn).Last().EventType);
    }

    [Fact]
    public async Task Stops_idle_on_a_callback_without_timer_and_continues_after_it_is_completed()
    {
        var h = new Harness(new EngineOptions { DefaultExecutionTimeoutSeconds = 3600 });
        var function = new ScriptedFunction(h.Engine) { UseCallback = true };
        var scheduler = new ExecutionScheduler(h.Engine, function, h.Clock);
        var arn = h.Start();

        var reason = await scheduler.RunUntilAsync(
            () => h.Engine.GetOperations(arn).Any(o => o.Id == "cb") && !h.Engine.HasActiveInvocation(arn), skipTime: true);
        Assert.Equal(SchedulerStopReason.ConditionMet, reason);
        h.Engine.SendCallbackSuccess(function.CallbackId!, "\"approved\"");
        Assert.Equal(SchedulerStopReason.ConditionMet, await scheduler.RunUntilClosedAsync(arn, skipTime: true));
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(arn).Status);
    }

    [Fact]
    public async Task A_throwing_invoker_is_a_crashed_invocation_and_is_retried()
    {
        var h = new Harness();
        var function = new ScriptedFunction(h.Engine) { CrashesLeft = 2 };
        var scheduler = new ExecutionScheduler(h.Engine, function, h.Clock);
        var arn = h.Start();
        await scheduler.RunUntilClosedAsync(arn, skipTime: true);
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(arn).Status);
        var crashes = h.History(arn).Where(e => e.InvocationCompletedDetails?.Error is not null).ToList();
        Assert.Equal(2, crashes.Count);
        Assert.Equal("Runtime.ExitError", crashes[0].InvocationCompletedDetails!.Error!.Payload!.ErrorType);
        Assert.Contains("boom", crashes[0].InvocationCompletedDetails!.Error!.Payload!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_invocation_guard_stops_runaway_executions()
    {
        var h = new Harness(new EngineOptions { MaxConsecutiveInvocationFailures = 1000 });
        var scheduler = new ExecutionScheduler(h.Engine, new ScriptedFunction(h.Engine) { CrashesLeft = int.MaxValue }, h.Clock)
        {
            MaxInvocations = 5,
        };
        h.Start();
        Assert.Equal(SchedulerStopReason.MaxInvocationsReached, await scheduler.RunUntilIdleAsync(skipTime: true));
        Assert.Equal(5, scheduler.InvocationsRun);
    }

    [Fact]
    public async Task Skipping_time_needs_a_virtual_clock()
    {
        var h = new Harness();
        var scheduler = new ExecutionScheduler(h.Engine, new ScriptedFunction(h.Engine));
        await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.RunUntilIdleAsync(skipTime: true));
    }

    [Fact]
    public async Task Timed_out_execution_stops_the_run()
    {
        var h = new Harness();
        var scheduler = new ExecutionScheduler(h.Engine, new ScriptedFunction(h.Engine) { UseCallback = true }, h.Clock);
        var arn = h.Start(timeoutSeconds: 100);
        Assert.Equal(SchedulerStopReason.ConditionMet, await scheduler.RunUntilClosedAsync(arn, skipTime: true));
        Assert.Equal(ExecutionStatus.TimedOut, h.Describe(arn).Status);
        Assert.Equal(h.Describe(arn).StartTimestamp.AddSeconds(100), h.Clock.GetUtcNow());
    }
}
