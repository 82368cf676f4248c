using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Callbacks;

public sealed class WaitForCallbackTests
{
    [Fact]
    public async Task Basic_shape_is_a_context_holding_the_callback_and_the_submitter_step()
    {
        var submitted = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<string, string>((name, ctx) => ctx.WaitForCallbackAsync<string>(
            (callbackId, _, _) =>
            {
                submitted.Enqueue(callbackId);
                return Task.CompletedTask;
            }, name));
        runner.OnCallback("approve", cb => cb.SucceedAsync("payload-123"));

        var result = await runner.RunAsync("approve");

        Assert.Equal("payload-123", result.Result);
        Assert.Equal(2, result.InvocationCount);
        H.AssertEvents(result, EventType.ContextStarted, EventType.CallbackStarted, EventType.StepStarted,
            EventType.StepSucceeded, EventType.InvocationCompleted, EventType.CallbackSucceeded, EventType.ContextSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);

        var contextId = H.Root1;
        var callbackOpId = H.ChildId(contextId, 1);
        var stepId = H.ChildId(contextId, 2);
        var contextStarted = H.One(result, EventType.ContextStarted);
        Assert.Equal(contextId, contextStarted.Id);
        Assert.Equal("WaitForCallback", contextStarted.SubType);
        Assert.Equal("approve", contextStarted.Name);
        Assert.Null(contextStarted.ParentId);

        var callbackStarted = H.One(result, EventType.CallbackStarted);
        Assert.Equal(callbackOpId, callbackStarted.Id);
        Assert.Equal(contextId, callbackStarted.ParentId);
        Assert.Equal("Callback", callbackStarted.SubType);
        Assert.Equal("approve-callback", callbackStarted.Name);

        foreach (var e in H.Of(result, EventType.StepStarted).Concat(H.Of(result, EventType.StepSucceeded)))
        {
            Assert.Equal(stepId, e.Id);
            Assert.Equal(contextId, e.ParentId);
            Assert.Equal("approve-submitter", e.Name);
            Assert.Equal("Step", e.SubType);
        }

        var callbackSucceeded = H.One(result, EventType.CallbackSucceeded);
        Assert.Equal(contextId, callbackSucceeded.ParentId);
        Assert.Equal("\"payload-123\"", callbackSucceeded.CallbackSucceededDetails!.Result!.Payload);
        var contextSucceeded = H.One(result, EventType.ContextSucceeded);
        Assert.Equal("WaitForCallback", contextSucceeded.SubType);
        Assert.Equal("\"payload-123\"", contextSucceeded.ContextSucceededDetails!.Result!.Payload);

        // The submitter ran once, with the id the service assigned.
        Assert.Equal(new[] { callbackStarted.CallbackStartedDetails!.CallbackId! }, submitted.ToArray());
    }

    [Fact]
    public async Task Unnamed_wait_for_callback_checkpoints_unnamed_inner_operations()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) =>
            ctx.WaitForCallbackAsync<int>((_, _, _) => Task.CompletedTask));
        var execution = await runner.StartAsync(0);
        await H.RunInvocationsAsync(runner.Host, execution.DurableExecutionArn, 1);
        var callbackRecord = Assert.Single(runner.Host.GetOperations(execution.DurableExecutionArn),
            o => o.Type == OperationType.Callback);
        await runner.Host.Callbacks.SendCallbackSuccessAsync(callbackRecord.CallbackDetails!.CallbackId!, "7");

        var result = await execution.WaitForResultAsync();

        Assert.Equal(7, result.Result);
        Assert.All(result.History.Where(e => e.Id is not null && e.EventType != EventType.ExecutionStarted
            && e.EventType != EventType.ExecutionSucceeded), e => Assert.Null(e.Name));
    }

    [Fact]
    public async Task Replay_after_completion_does_not_run_the_submitter_again()
    {
        var submitterRuns = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var value = await ctx.WaitForCallbackAsync<string>((_, _, _) =>
            {
                submitterRuns.Increment();
                return Task.CompletedTask;
            }, "ext");
            await ctx.WaitAsync(TimeSpan.FromSeconds(3));
            return value + "!";
        });
        runner.OnCallback("ext", cb => cb.SucceedAsync("v"));

        var result = await runner.RunAsync(0);

        Assert.Equal("v!", result.Result);
        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(1, submitterRuns.Value);
        Assert.Single(H.Of(result, EventType.ContextSucceeded));
    }

    [Fact]
    public async Task Callback_failure_surfaces_as_callback_failed_exception_live_and_on_replay()
    {
        var seen = new ConcurrentQueue<Exception>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "ext");
            }
            catch (Exception ex)
            {
                seen.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(3));
            return "continued";
        });
        runner.OnCallback("ext", cb => cb.FailAsync("rejected by partner", "Partner.Error"));

        var result = await runner.RunAsync(0);

        Assert.Equal("continued", result.Result);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, ex =>
        {
            Assert.IsType<CallbackFailedException>(ex);
            Assert.Equal("rejected by partner", ex.Message);
        });
        Assert.Equal("Partner.Error", ((CallbackException)seen.First()).ErrorType);
        var contextFailed = H.One(result, EventType.ContextFailed);
        Assert.Equal("WaitForCallback", contextFailed.SubType);
        Assert.Equal(typeof(CallbackFailedException).FullName, contextFailed.ContextFailedDetails!.Error!.Payload!.ErrorType);
        Assert.Equal("rejected by partner", contextFailed.ContextFailedDetails.Error.Payload.ErrorMessage);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Timeouts_surface_as_callback_timeout_exception_live_and_on_replay(bool heartbeat)
    {
        var seen = new ConcurrentQueue<Exception>();
        var config = heartbeat
            ? new WaitForCallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(15) }
            : new WaitForCallbackConfig { Timeout = TimeSpan.FromSeconds(45) };
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "ext", config);
            }
            catch (Exception ex)
            {
                seen.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(3));
            return "continued";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("continued", result.Result);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, ex => Assert.IsType<CallbackTimeoutException>(ex));
        Assert.Equal(heartbeat ? "Callback.Heartbeat" : "Callback.Timeout", ((CallbackException)seen.First()).ErrorType);
        Assert.Equal(seen.First().Message, seen.Last().Message);
        var started = H.One(result, EventType.CallbackStarted).CallbackStartedDetails!;
        Assert.Equal(heartbeat ? null : 45, started.Timeout);
        Assert.Equal(heartbeat ? 15 : null, started.HeartbeatTimeout);
        Assert.Equal(typeof(CallbackTimeoutException).FullName,
            H.One(result, EventType.ContextFailed).ContextFailedDetails!.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task Submitter_failing_after_its_retries_raises_callback_submitter_exception_live_and_on_replay()
    {
        var submitterRuns = new Counter();
        var seen = new ConcurrentQueue<Exception>();
        var config = new WaitForCallbackConfig
        {
            RetryStrategy = RetryStrategy.Exponential(2, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
        };
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.WaitForCallbackAsync<string>((_, _, _) =>
                {
                    submitterRuns.Increment();
                    throw new TransientError("queue unavailable");
                }, "ext", config);
            }
            catch (Exception ex)
            {
                seen.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(3));
            return "continued";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("continued", result.Result);
        Assert.Equal(2, submitterRuns.Value);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, ex =>
        {
            Assert.IsType<CallbackSubmitterException>(ex);
            Assert.Equal("queue unavailable", ex.Message);
        });
        Assert.Equal(typeof(TransientError).FullName, ((CallbackException)seen.First()).ErrorType);
        H.AssertEvents(result, EventType.ContextStarted, EventType.CallbackStarted, EventType.StepStarted,
            EventType.StepFailed, EventType.InvocationCompleted, EventType.StepStarted, EventType.StepFailed,
            EventType.ContextFailed, EventType.WaitStarted, EventType.InvocationCompleted, EventType.WaitSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        Assert.Equal(typeof(StepException).FullName,
            H.One(result, EventType.ContextFailed).ContextFailedDetails!.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task Submitter_without_a_strategy_retries_with_the_default()
    {
        var submitterRuns = new Counter();
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.WaitForCallbackAsync<string>((_, _, _) =>
            submitterRuns.Increment() < 3 ? throw new TransientError("flaky") : Task.CompletedTask, "ext"));
        runner.OnCallback("ext", cb => cb.SucceedAsync("ok"));

        var result = await runner.RunAsync(0);

        Assert.Equal("ok", result.Result);
        Assert.Equal(3, submitterRuns.Value);
        Assert.Equal(2, H.Of(result, EventType.StepFailed).Count);
    }

    [Fact]
    public async Task Uncaught_submitter_failure_fails_the_execution()
    {
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.WaitForCallbackAsync<string>(
            (_, _, _) => throw new InvalidOperationException("cannot submit"), "ext",
            new WaitForCallbackConfig { RetryStrategy = RetryStrategy.None }));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("cannot submit", result.Error!.ErrorMessage);
        Assert.Equal("System.InvalidOperationException", result.Error.ErrorType);
    }

    [Fact]
    public async Task Wait_for_callback_nested_in_a_child_context_reports_the_child_as_parent()
    {
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.RunInChildContextAsync((child, _) =>
            child.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "inner"), "outer"));
        runner.OnCallback("inner", cb => cb.SucceedAsync("deep"));

        var result = await runner.RunAsync(0);

        Assert.Equal("deep", result.Result);
        var outer = result.FindOperation("outer")!;
        var inner = result.FindOperation("inner")!;
        Assert.Equal(H.Root1, outer.Id);
        Assert.Equal(H.ChildId(H.Root1, 1), inner.Id);
        Assert.Equal(outer.Id, inner.ParentId);
        Assert.Equal("WaitForCallback", inner.SubType);
        Assert.Equal(inner.Id, result.FindOperation("inner-callback")!.ParentId);
        Assert.Equal(inner.Id, result.FindOperation("inner-submitter")!.ParentId);
    }
}
