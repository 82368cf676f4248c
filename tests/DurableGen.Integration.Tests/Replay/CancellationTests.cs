using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Replay;

public sealed class CancellationTests
{
    [Fact]
    public async Task A_running_step_sees_its_token_cancelled_when_another_branch_suspends()
    {
        var invocations = new Counter();
        var bodyRuns = new Counter();
        var stepRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observedCancellation = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var invocation = invocations.Increment();
            var waiting = ctx.RunInChildContextAsync(async (c, _) =>
            {
                // Suspend only once the other branch's step is really running.
                await stepRunning.Task;
                await c.WaitAsync(TimeSpan.FromSeconds(30), "timer");
                return "a";
            }, "waiting-branch");
            var working = ctx.RunInChildContextAsync((c, _) => c.StepAsync(async (_, token) =>
            {
                bodyRuns.Increment();
                if (invocation == 1)
                {
                    stepRunning.TrySetResult();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, token);
                    }
                    catch (OperationCanceledException)
                    {
                        observedCancellation.TrySetResult(token.IsCancellationRequested);
                        throw;
                    }
                }

                return "b";
            }, "long-step"), "working-branch");
            return await waiting + await working;
        });

        var result = await runner.RunAsync(0);

        // The abandoned first invocation's step observes the cancellation on the thread pool, possibly after the run.
        Assert.True(await observedCancellation.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("ab", result.Result);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(2, bodyRuns.Value);

        // The cancelled attempt wrote no FAIL/RETRY: the step was simply re-run (at least once) without a new START.
        Assert.DoesNotContain(result.History, e => e.EventType is EventType.StepFailed or EventType.ContextFailed);
        Assert.Single(H.Of(result, EventType.StepStarted));
        Assert.Single(H.Of(result, EventType.StepSucceeded));
        Assert.Equal(1, result.GetStep("long-step").Attempt);
    }

    [Fact]
    public async Task Cancellation_through_the_callers_token_writes_no_failure()
    {
        using var cts = new CancellationTokenSource();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.StepAsync<int>((_, token) =>
                {
                    cts.Cancel();
                    token.ThrowIfCancellationRequested();
                    return Task.FromResult(1);
                }, "cancelled", new StepConfig { RetryStrategy = RetryStrategy.None }, cts.Token);
                return "not cancelled";
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("cancelled", result.Result);
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.StepFailed);
        Assert.Equal(OperationStatus.Started, result.GetStep("cancelled").Status);
    }

    [Fact]
    public async Task An_already_cancelled_caller_token_throws_before_any_checkpoint()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.StepAsync((_, _) => Task.FromResult(1), "never", cancellationToken: new CancellationToken(true));
                return "ran";
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("cancelled", result.Result);
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.StepStarted);
    }
}
