using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Steps;

/// <summary>At-least-once vs at-most-once when the process dies mid-step (fault injection on checkpoints).</summary>
public sealed class StepCrashRecoveryTests
{
    private static bool HasAction(CheckpointDurableExecutionRequest request, OperationAction action) =>
        request.Updates?.Any(u => u.Type == OperationType.Step && u.Action == action) == true;

    [Fact]
    public async Task At_least_once_step_crashed_after_its_start_reruns_the_body_without_a_new_start()
    {
        var bodyRuns = new Counter();
        string? arn = null;
        InProcessHost? host = null;
        var options = new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions
            {
                Faults = f => f.InvocationNumber == 1 && HasAction(f.Request, OperationAction.Succeed)
                    ? CheckpointFault.CrashBeforeSending
                    : CheckpointFault.None,
            },
        };
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.StepAsync(async (_, _) =>
        {
            var run = bodyRuns.Increment();
            if (run == 1)
            {
                // Make sure the fire-and-forget START is applied before the SUCCEED is lost.
                await H.WaitUntilAsync(() => host!.GetOperations(arn!)
                    .Any(o => o.Type == OperationType.Step && o.Status == OperationStatus.Started), "step START applied");
            }

            return $"run {run}";
        }, "charge"), options);
        host = runner.Host;
        var execution = await runner.StartAsync(0);
        arn = execution.DurableExecutionArn;

        var result = await execution.WaitForResultAsync();

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("run 2", result.Result);
        Assert.Equal(2, bodyRuns.Value);
        Assert.Equal(2, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.InvocationCompleted, EventType.StepSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var crashed = H.Of(result, EventType.InvocationCompleted)[0];
        Assert.Equal("Runtime.ExitError", crashed.InvocationCompletedDetails!.Error!.Payload!.ErrorType);
        Assert.Null(H.Of(result, EventType.InvocationCompleted)[1].InvocationCompletedDetails!.Error);
        var succeeded = H.One(result, EventType.StepSucceeded);
        Assert.Equal("\"run 2\"", succeeded.StepSucceededDetails!.Result!.Payload);
        Assert.Equal(1, succeeded.StepSucceededDetails.RetryDetails?.CurrentAttempt);
    }

    [Fact]
    public async Task At_most_once_step_crashed_after_start_is_not_rerun_and_is_retried_as_interrupted()
    {
        var bodyRuns = new Counter();
        var strategySaw = new ConcurrentQueue<(Type Type, int Attempt)>();
        var options = new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions
            {
                // Request 1 is the synchronous START; request 2 carries the SUCCEED and is lost with the process.
                Faults = f => f.InvocationNumber == 1 && HasAction(f.Request, OperationAction.Succeed)
                    ? CheckpointFault.CrashBeforeSending
                    : CheckpointFault.None,
            },
        };
        var config = new StepConfig
        {
            Semantics = StepSemantics.AtMostOncePerRetry,
            RetryStrategy = RetryStrategy.FromDelegate((ex, attempt) =>
            {
                strategySaw.Enqueue((ex.GetType(), attempt));
                return attempt < 3 ? RetryDecision.RetryAfter(TimeSpan.FromSeconds(3)) : RetryDecision.DoNotRetry();
            }),
        };
        var runner = ReflectionRunner.Create<int, string>((_, ctx) =>
            ctx.StepAsync((_, _) => Task.FromResult($"run {bodyRuns.Increment()}"), "transfer", config), options);

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("run 2", result.Result);
        Assert.Equal(2, bodyRuns.Value); // attempt 1 ran once and was never re-run; attempt 2 ran after the retry
        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(new[] { (typeof(StepInterruptedException), 1) }, strategySaw.ToArray());
        H.AssertEvents(result, EventType.StepStarted, EventType.InvocationCompleted, EventType.StepFailed,
            EventType.InvocationCompleted, EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
        Assert.Equal("Runtime.ExitError",
            H.Of(result, EventType.InvocationCompleted)[0].InvocationCompletedDetails!.Error!.Payload!.ErrorType);
        var interrupted = H.One(result, EventType.StepFailed).StepFailedDetails!;
        Assert.Equal(typeof(StepInterruptedException).FullName, interrupted.Error!.Payload!.ErrorType);
        Assert.Equal(1, interrupted.RetryDetails!.CurrentAttempt);
        Assert.Equal(3, interrupted.RetryDetails.NextAttemptDelaySeconds);
    }

    [Fact]
    public async Task At_most_once_interrupted_step_without_retry_fails_with_a_step_exception()
    {
        var bodyRuns = new Counter();
        var options = new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions
            {
                Faults = f => f.InvocationNumber == 1 && HasAction(f.Request, OperationAction.Succeed)
                    ? CheckpointFault.CrashBeforeSending
                    : CheckpointFault.None,
            },
        };
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                return await ctx.StepAsync((_, _) => Task.FromResult($"run {bodyRuns.Increment()}"), "pay",
                    new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry, RetryStrategy = RetryStrategy.None });
            }
            catch (StepException ex)
            {
                return $"{ex.GetType().Name}:{ex.InnerException?.GetType().Name}:{ex.ErrorType}";
            }
        }, options);

        var result = await runner.RunAsync(0);

        Assert.Equal(1, bodyRuns.Value);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(
            $"StepException:StepInterruptedException:{typeof(StepInterruptedException).FullName}", result.Result);
        H.AssertEvents(result, EventType.StepStarted, EventType.InvocationCompleted, EventType.StepFailed,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var failed = H.One(result, EventType.StepFailed).StepFailedDetails!;
        Assert.Null(failed.RetryDetails?.NextAttemptDelaySeconds);
        Assert.Equal(typeof(StepInterruptedException).FullName, failed.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task At_most_once_start_is_durable_before_the_body_runs()
    {
        string? arn = null;
        InProcessHost? host = null;
        var startedBeforeBody = false;
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.StepAsync((_, _) =>
        {
            startedBeforeBody = host!.GetOperations(arn!)
                .Any(o => o.Type == OperationType.Step && o.Status == OperationStatus.Started);
            return Task.FromResult(1);
        }, "guarded", new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry }));
        host = runner.Host;
        var execution = await runner.StartAsync(0);
        arn = execution.DurableExecutionArn;

        var result = await execution.WaitForResultAsync();

        Assert.Equal(1, result.Result);
        Assert.True(startedBeforeBody);
    }

    [Fact]
    public async Task Crash_after_the_succeed_was_applied_replays_the_result_on_the_next_invocation()
    {
        var bodyRuns = new Counter();
        var options = new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions
            {
                Faults = f => f.InvocationNumber == 1 && HasAction(f.Request, OperationAction.Succeed)
                    ? CheckpointFault.CrashAfterApplying
                    : CheckpointFault.None,
            },
        };
        var runner = ReflectionRunner.Create<int, string>((_, ctx) =>
            ctx.StepAsync((_, _) => Task.FromResult($"run {bodyRuns.Increment()}"), "once"), options);

        var result = await runner.RunAsync(0);

        Assert.Equal("run 1", result.Result);
        Assert.Equal(1, bodyRuns.Value);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal("Runtime.ExitError",
            H.Of(result, EventType.InvocationCompleted)[0].InvocationCompletedDetails!.Error!.Payload!.ErrorType);
        Assert.Single(H.Of(result, EventType.StepSucceeded));
    }
}
