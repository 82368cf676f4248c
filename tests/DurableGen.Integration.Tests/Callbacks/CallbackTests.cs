using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Callbacks;

public sealed class CallbackTests
{
    [Fact]
    public async Task Create_and_await_success_suspends_once_and_returns_the_sent_result()
    {
        var afterAwait = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("approval");
            var answer = await callback.GetResultAsync();
            afterAwait.Increment();
            return answer;
        });
        runner.OnCallback("approval", cb => cb.SucceedAsync("approved"));

        var result = await runner.RunAsync(0);

        Assert.Equal("approved", result.Result);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(1, afterAwait.Value);
        H.AssertEvents(result, EventType.CallbackStarted, EventType.InvocationCompleted, EventType.CallbackSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var started = H.One(result, EventType.CallbackStarted);
        Assert.Equal(H.Root1, started.Id);
        Assert.Equal("Callback", started.SubType);
        Assert.Equal("approval", started.Name);
        Assert.False(string.IsNullOrEmpty(started.CallbackStartedDetails!.CallbackId));
        Assert.Null(started.CallbackStartedDetails.Timeout);
        Assert.Null(started.CallbackStartedDetails.HeartbeatTimeout);
        var succeeded = H.One(result, EventType.CallbackSucceeded);
        Assert.Equal(H.Root1, succeeded.Id);
        Assert.Equal("\"approved\"", succeeded.CallbackSucceededDetails!.Result!.Payload);
    }

    [Fact]
    public async Task Creating_a_callback_never_suspends_and_its_id_is_usable_in_a_later_step()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<int>("cb");
            var sent = await ctx.StepAsync((_, _) => Task.FromResult(callback.CallbackId), "notify");
            var value = await callback.GetResultAsync();
            return $"{value}:{sent == callback.CallbackId}";
        });
        runner.OnCallback("cb", cb => cb.SucceedAsync(42));

        var result = await runner.RunAsync(0);

        Assert.Equal("42:True", result.Result);
        H.AssertEvents(result, EventType.CallbackStarted, EventType.StepStarted, EventType.StepSucceeded,
            EventType.InvocationCompleted, EventType.CallbackSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
        var callbackId = H.One(result, EventType.CallbackStarted).CallbackStartedDetails!.CallbackId;
        Assert.Equal(result.GetStep("notify").GetResult<string>(), callbackId);
    }

    [Fact]
    public async Task Two_callbacks_are_both_created_before_the_first_await_suspends()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var a = await ctx.CreateCallbackAsync<string>("a");
            var b = await ctx.CreateCallbackAsync<string>("b");
            return await a.GetResultAsync() + await b.GetResultAsync();
        });
        var execution = await runner.StartAsync(0);
        var cbA = await execution.WaitForCallbackAsync("a");
        var cbB = await execution.WaitForCallbackAsync("b");
        Assert.NotEqual(cbA.CallbackId, cbB.CallbackId);
        Assert.Equal(1, execution.GetResult().InvocationCount);

        await cbB.SucceedAsync("-B");
        await H.RunInvocationsAsync(runner.Host, execution.DurableExecutionArn, 2);
        Assert.Equal(ExecutionStatus.Running, execution.Status);
        await cbA.SucceedAsync("A");
        var result = await execution.WaitForResultAsync();

        Assert.Equal("A-B", result.Result);
        Assert.Equal(3, result.InvocationCount);
        H.AssertEvents(result, EventType.CallbackStarted, EventType.CallbackStarted, EventType.InvocationCompleted,
            EventType.CallbackSucceeded, EventType.InvocationCompleted, EventType.CallbackSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
    }

    [Fact]
    public async Task Failure_surfaces_as_callback_failed_exception_with_the_sent_fields_live_and_on_replay()
    {
        var seen = new ConcurrentQueue<CallbackException>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("approval");
            try
            {
                await callback.GetResultAsync();
            }
            catch (CallbackException ex)
            {
                seen.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(5), "after");
            return "handled";
        });
        runner.OnCallback("approval", cb => cb.FailAsync("not approved", "Approval.Rejected", "{\"by\":\"bob\"}"));

        var result = await runner.RunAsync(0);

        Assert.Equal("handled", result.Result);
        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(2, seen.Count);
        var callbackId = H.One(result, EventType.CallbackStarted).CallbackStartedDetails!.CallbackId;
        Assert.All(seen, ex =>
        {
            Assert.IsType<CallbackFailedException>(ex);
            Assert.Equal("not approved", ex.Message);
            Assert.Equal("Approval.Rejected", ex.ErrorType);
            Assert.Equal("{\"by\":\"bob\"}", ex.ErrorData);
            Assert.Equal(callbackId, ex.CallbackId);
        });
        var failed = H.One(result, EventType.CallbackFailed).CallbackFailedDetails!.Error!.Payload!;
        Assert.Equal("not approved", failed.ErrorMessage);
        Assert.Equal("Approval.Rejected", failed.ErrorType);
    }

    [Fact]
    public async Task Uncaught_callback_failure_fails_the_execution_with_the_remote_message()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("approval");
            return await callback.GetResultAsync();
        });
        runner.OnCallback("approval", cb => cb.FailAsync("not approved", "Approval.Rejected"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("not approved", result.Error!.ErrorMessage);
        Assert.Equal("Approval.Rejected", result.Error.ErrorType);
    }

    [Fact]
    public async Task Overall_timeout_raises_callback_timeout_exception_live_and_on_replay()
    {
        var seen = new ConcurrentQueue<CallbackException>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("slow",
                new CallbackConfig { Timeout = TimeSpan.FromSeconds(30) });
            try
            {
                await callback.GetResultAsync();
            }
            catch (CallbackException ex)
            {
                seen.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return "gave up";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("gave up", result.Result);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, ex =>
        {
            Assert.IsType<CallbackTimeoutException>(ex);
            Assert.Equal("Callback.Timeout", ex.ErrorType);
        });
        Assert.Equal(seen.First().Message, seen.Last().Message);
        var started = H.One(result, EventType.CallbackStarted);
        Assert.Equal(30, started.CallbackStartedDetails!.Timeout);
        var timedOut = H.One(result, EventType.CallbackTimedOut);
        Assert.Equal("Callback.Timeout", timedOut.CallbackTimedOutDetails!.Error!.Payload!.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(30), timedOut.EventTimestamp - started.EventTimestamp);
        H.AssertEvents(result, EventType.CallbackStarted, EventType.InvocationCompleted, EventType.CallbackTimedOut,
            EventType.WaitStarted, EventType.InvocationCompleted, EventType.WaitSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
    }

    [Fact]
    public async Task Heartbeat_timeout_without_heartbeats_raises_callback_heartbeat_timeout()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("hb", new CallbackConfig
            {
                Timeout = TimeSpan.FromMinutes(10), HeartbeatTimeout = TimeSpan.FromSeconds(20),
            });
            try
            {
                return await callback.GetResultAsync();
            }
            catch (CallbackTimeoutException ex)
            {
                return ex.ErrorType!;
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("Callback.Heartbeat", result.Result);
        var started = H.One(result, EventType.CallbackStarted);
        Assert.Equal(600, started.CallbackStartedDetails!.Timeout);
        Assert.Equal(20, started.CallbackStartedDetails.HeartbeatTimeout);
        var timedOut = H.One(result, EventType.CallbackTimedOut);
        Assert.Equal(TimeSpan.FromSeconds(20), timedOut.EventTimestamp - started.EventTimestamp);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Heartbeats_keep_a_callback_alive_past_its_heartbeat_timeout(bool sendHeartbeats)
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("job", new CallbackConfig
            {
                HeartbeatTimeout = TimeSpan.FromSeconds(10),
            });
            try
            {
                return await callback.GetResultAsync();
            }
            catch (CallbackTimeoutException ex)
            {
                return ex.ErrorType!;
            }
        });
        var execution = await runner.StartAsync(0);
        var callback = await execution.WaitForCallbackAsync("job");

        for (var i = 0; i < 3; i++)
        {
            execution.AdvanceTime(TimeSpan.FromSeconds(8));
            if (sendHeartbeats)
            {
                await callback.HeartbeatAsync();
            }
        }

        if (sendHeartbeats)
        {
            await callback.SucceedAsync("finished");
        }

        var result = await execution.WaitForResultAsync();

        Assert.Equal(sendHeartbeats ? "finished" : "Callback.Heartbeat", result.Result);
        Assert.Equal(sendHeartbeats ? 0 : 1, H.Of(result, EventType.CallbackTimedOut).Count);
        // Heartbeats leave no trace in the history.
        Assert.Equal(sendHeartbeats
            ? new[] { EventType.CallbackStarted, EventType.InvocationCompleted, EventType.CallbackSucceeded,
                EventType.InvocationCompleted, EventType.ExecutionSucceeded }
            : new[] { EventType.CallbackStarted, EventType.InvocationCompleted, EventType.CallbackTimedOut,
                EventType.InvocationCompleted, EventType.ExecutionSucceeded }, H.Types(result));
    }

    [Fact]
    public async Task Callback_options_are_sent_as_whole_seconds_rounded_up()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("rounded", new CallbackConfig
            {
                Timeout = TimeSpan.FromSeconds(90.2), HeartbeatTimeout = TimeSpan.FromSeconds(1.5),
            });
            var zero = await ctx.CreateCallbackAsync<string>("zero", new CallbackConfig());
            return callback.CallbackId + zero.CallbackId;
        });

        var result = await runner.RunAsync(0);

        var started = H.Of(result, EventType.CallbackStarted);
        Assert.Equal(91, started[0].CallbackStartedDetails!.Timeout);
        Assert.Equal(2, started[0].CallbackStartedDetails!.HeartbeatTimeout);
        Assert.Null(started[1].CallbackStartedDetails!.Timeout);
        Assert.Null(started[1].CallbackStartedDetails!.HeartbeatTimeout);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Callback_config_rejects_negative_and_sub_second_values(double seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CallbackConfig { Timeout = TimeSpan.FromSeconds(seconds) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(seconds) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new WaitForCallbackConfig { Timeout = TimeSpan.FromSeconds(seconds) });
    }

    [Fact]
    public async Task Awaiting_an_unanswered_callback_leaves_the_execution_running_instead_of_skipping_to_its_timeout()
    {
        var afterAwait = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("never");
            var value = await callback.GetResultAsync();
            afterAwait.Increment();
            return value;
        }, new DurableTestRunnerOptions { Host = new InProcessHostOptions { IdleTimeout = TimeSpan.FromMilliseconds(100) } });

        var result = await runner.RunAsync(0);

        // Nothing answers and only the execution timeout is left: the run stops there, waiting on the outside world.
        Assert.Equal(ExecutionStatus.Running, result.Status);
        Assert.Equal(1, result.InvocationCount);
        Assert.Equal(0, afterAwait.Value);
        H.AssertEvents(result, EventType.CallbackStarted, EventType.InvocationCompleted);
        var error = Assert.Throws<InvalidOperationException>(() => result.EnsureSucceeded());
        Assert.Contains("never", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_longer_than_the_execution_timeout_times_the_execution_out()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromDays(2), "too-long");
            return "never";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        H.AssertEvents(result, EventType.WaitStarted, EventType.InvocationCompleted, EventType.ExecutionTimedOut);
    }

    [Fact]
    public async Task Structured_results_are_deserialized_into_the_callback_type()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<Approval>("typed");
            var approval = await callback.GetResultAsync();
            return approval.Approved ? approval.Amount : -1;
        });
        runner.OnCallback("typed", cb => cb.SucceedWithTextAsync("{\"Approved\":true,\"Amount\":250}"));

        var result = await runner.RunAsync(0);

        Assert.Equal(250, result.Result);
    }

    [Fact]
    public async Task A_callback_completed_during_the_invocation_is_seen_without_suspending()
    {
        InProcessHost? host = null;
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("fast");
            await ctx.StepAsync(async (_, _) =>
            {
                // The external system answers while this invocation is still running.
                await host!.Callbacks.SendCallbackSuccessAsync(callback.CallbackId, "\"instant\"");
            }, "submit");
            return await callback.GetResultAsync();
        });
        host = runner.Host;

        var result = await runner.RunAsync(0);

        Assert.Equal("instant", result.Result);
        Assert.Equal(1, result.InvocationCount);
        // The step's fire-and-forget START may be sent before or after the callback completes.
        var types = H.Types(result);
        Assert.Equal(new[] { EventType.StepSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded },
            types[^3..]);
        Assert.Single(types, t => t == EventType.InvocationCompleted);
        Assert.Single(types, t => t == EventType.CallbackSucceeded);
    }

    public sealed record Approval(bool Approved, int Amount);
}
