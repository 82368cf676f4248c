using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Waits;

public sealed class WaitTests
{
    [Fact]
    public async Task Wait_starts_suspends_and_completes_in_a_second_invocation()
    {
        var afterWait = new Counter();
        var runner = ReflectionRunner.Create<int>(async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromMinutes(1), "minute");
            afterWait.Increment();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(1, afterWait.Value);
        H.AssertEvents(result, EventType.WaitStarted, EventType.InvocationCompleted, EventType.WaitSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var started = H.One(result, EventType.WaitStarted);
        Assert.Equal(H.Root1, started.Id);
        Assert.Equal("Wait", started.SubType);
        Assert.Equal("minute", started.Name);
        Assert.Equal(60, started.WaitStartedDetails!.Duration);
        var succeeded = H.One(result, EventType.WaitSucceeded);
        Assert.Equal(H.Root1, succeeded.Id);
        Assert.Equal(60, succeeded.WaitSucceededDetails!.Duration);
        Assert.Equal(TimeSpan.FromMinutes(1), succeeded.EventTimestamp - started.EventTimestamp);
        Assert.Null(result.ResultText);
    }

    [Theory]
    [InlineData(3600.0, 3600)]
    [InlineData(1.2, 2)]
    [InlineData(1.0, 1)]
    [InlineData(86_000.4, 86_001)]
    public async Task Wait_seconds_are_whole_seconds_rounded_up(double seconds, int expected)
    {
        var runner = ReflectionRunner.Create<int>((_, ctx) => ctx.WaitAsync(TimeSpan.FromSeconds(seconds)));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(expected, H.One(result, EventType.WaitStarted).WaitStartedDetails!.Duration);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-1.0)]
    [InlineData(31_622_401.0)]
    public async Task Out_of_range_durations_throw_before_an_id_is_allocated(double seconds)
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => { Task ignored = ctx.WaitAsync(TimeSpan.FromSeconds(seconds)); });
            return await ctx.StepAsync((s, _) => Task.FromResult(s.OperationId));
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(H.Root1, result.Result);
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.WaitStarted);
    }

    [Fact]
    public async Task Completed_waits_replay_without_any_update()
    {
        var stepRuns = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var n = await ctx.StepAsync((_, _) => Task.FromResult(stepRuns.Increment()), "before");
            await ctx.WaitAsync(TimeSpan.FromSeconds(30), "first");
            await ctx.WaitAsync(TimeSpan.FromSeconds(45), "second");
            return n;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(1, result.Result);
        Assert.Equal(1, stepRuns.Value);
        Assert.Equal(3, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.WaitStarted,
            EventType.InvocationCompleted, EventType.WaitSucceeded, EventType.WaitStarted, EventType.InvocationCompleted,
            EventType.WaitSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        Assert.Equal(new[] { H.Root2, H.RootId(3) }, H.Of(result, EventType.WaitStarted).Select(e => e.Id).ToArray());
    }

    [Fact]
    public async Task A_wait_still_pending_on_replay_suspends_again_with_no_update()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("early");
            await ctx.WaitAsync(TimeSpan.FromSeconds(10), "timer");
            return await callback.GetResultAsync();
        });
        var execution = await runner.StartAsync(0);
        var host = runner.Host;
        await H.RunInvocationsAsync(host, execution.DurableExecutionArn, 1);
        var callbackId = Assert.Single(host.GetOperations(execution.DurableExecutionArn),
            o => o.Type == OperationType.Callback).CallbackDetails!.CallbackId!;

        // The callback completes before the timer fires: the service re-invokes, and the wait is still running.
        await host.Callbacks.SendCallbackSuccessAsync(callbackId, "\"done\"");
        await H.RunInvocationsAsync(host, execution.DurableExecutionArn, 2);
        var middle = execution.GetResult();
        Assert.Equal(ExecutionStatus.Running, middle.Status);
        H.AssertEvents(middle, EventType.CallbackStarted, EventType.WaitStarted, EventType.InvocationCompleted,
            EventType.CallbackSucceeded, EventType.InvocationCompleted);

        var result = await execution.WaitForResultAsync();

        Assert.Equal("done", result.Result);
        Assert.Equal(3, result.InvocationCount);
        H.AssertEvents(result, EventType.CallbackStarted, EventType.WaitStarted, EventType.InvocationCompleted,
            EventType.CallbackSucceeded, EventType.InvocationCompleted, EventType.WaitSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
    }

    [Fact]
    public async Task Wait_inside_a_loop_gets_a_fresh_id_per_iteration()
    {
        var runner = ReflectionRunner.Create<int, int>(async (count, ctx) =>
        {
            for (var i = 0; i < count; i++)
            {
                await ctx.WaitAsync(TimeSpan.FromSeconds(i + 1), $"w{i}");
            }

            return count;
        });

        var result = await runner.RunAsync(3);

        Assert.Equal(3, result.Result);
        Assert.Equal(4, result.InvocationCount);
        Assert.Equal(new int?[] { 1, 2, 3 },
            H.Of(result, EventType.WaitStarted).Select(e => e.WaitStartedDetails!.Duration).ToArray());
        Assert.Equal(new[] { H.Root1, H.Root2, H.RootId(3) },
            H.Of(result, EventType.WaitSucceeded).Select(e => e.Id).ToArray());
    }
}
