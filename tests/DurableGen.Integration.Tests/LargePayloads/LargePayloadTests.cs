using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Serializers;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.LargePayloads;

/// <summary>Size limits (semantics §3.7): 256 KiB for context and batch results, 6 MiB − 50 B for the final result.</summary>
public sealed class LargePayloadTests
{
    private const int ContextLimit = 256 * 1024;
    private const int ResponseLimit = 6 * 1024 * 1024 - 50;

    [Fact]
    public async Task Step_result_over_256_KiB_is_checkpointed_inline_and_replayed()
    {
        var bodies = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var big = await ctx.StepAsync((_, _) => { bodies.Increment(); return Task.FromResult(new string('s', 300 * 1024)); }, "big");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return big.Length;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(300 * 1024, result.Result);
        Assert.Equal(1, bodies.Value);
        Assert.Equal(300 * 1024 + 2, result.GetStep("big").ResultText!.Length);
    }

    [Fact]
    public async Task Child_result_just_over_256_KiB_replays_children_and_rebuilds_the_same_value()
    {
        var bodies = new Counter();
        var observed = new ConcurrentQueue<int>();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            // 262,143 characters + 2 quotes = 262,145 bytes: one byte over.
            var value = await ctx.RunInChildContextAsync(async (c, _) =>
            {
                bodies.Increment();
                return await c.StepAsync((_, _) => Task.FromResult(new string('c', ContextLimit - 1)), "part");
            }, "over");
            observed.Enqueue(value.Length);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return value.Length;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(new[] { ContextLimit - 1, ContextLimit - 1 }, observed.ToArray());
        Assert.Equal(2, bodies.Value);
        var record = result.FindOperation("over")!;
        Assert.True(record.Record.ContextDetails!.ReplayChildren);
        Assert.Equal("", record.ResultText ?? "");
        Assert.Single(H.Of(result, EventType.ContextSucceeded));
    }

    [Fact]
    public async Task Overflowing_child_with_a_custom_serializer_returns_the_same_value_on_the_first_run_and_on_replay()
    {
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var value = await ctx.RunInChildContextAsync(
                (c, _) => c.StepAsync((_, _) => Task.FromResult(new string('k', ContextLimit))), "over",
                new ChildContextConfig<string> { Serializer = new PrefixSerializer("big:") });
            observed.Enqueue(value[^2..]);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.True(result.FindOperation("over")!.Record.ContextDetails!.ReplayChildren);
        Assert.Equal(2, observed.Count);
        Assert.Equal(observed.First(), observed.Last());
    }

    [Fact]
    public async Task Parallel_branch_over_256_KiB_overflows_both_the_branch_and_the_summary_and_replays()
    {
        var bodies = new Counter();
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<string>(
            [
                (c, _) => { bodies.Increment(); return c.StepAsync((_, _) => Task.FromResult(new string('p', 300 * 1024)), "big"); },
                (_, _) => { bodies.Increment(); return Task.FromResult("small"); },
            ], "p", new ParallelConfig { MaxConcurrency = 1 });
            observed.Enqueue(string.Join(",", batch.GetResults().Select(r => r.Length)));
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(new[] { $"{300 * 1024},5", $"{300 * 1024},5" }, observed.ToArray());
        Assert.Equal(3, bodies.Value); // the big branch re-runs on replay to rebuild its value; its step replays
        var parallel = result.FindOperation("p")!;
        Assert.True(parallel.Record.ContextDetails!.ReplayChildren);
        Assert.True(parallel.Children[0].Record.ContextDetails!.ReplayChildren);
        Assert.NotEqual(true, parallel.Children[1].Record.ContextDetails!.ReplayChildren);
        Assert.True(parallel.ResultText!.Length < 1024, "The overflow summary keeps only statuses: " + parallel.ResultText.Length);
    }

    [Fact]
    public async Task Final_result_over_6_MiB_minus_50_is_delivered_through_an_execution_checkpoint()
    {
        var big = new string('r', ResponseLimit - 1); // + 2 quotes = one byte over
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return big;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(big, result.Result);
        // The service records the checkpointed outcome after the invocation that wrote it (protocol §6.2).
        H.AssertEvents(result, EventType.WaitStarted, EventType.InvocationCompleted, EventType.WaitSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        Assert.Equal("\"" + big + "\"", H.One(result, EventType.ExecutionSucceeded).ExecutionSucceededDetails!.Result!.Payload);
        Assert.Null(H.Of(result, EventType.InvocationCompleted)[^1].InvocationCompletedDetails!.Error);
    }

    [Fact]
    public async Task Final_result_at_exactly_6_MiB_minus_50_is_returned_inline()
    {
        var edge = new string('e', ResponseLimit - 2);
        var runner = ReflectionRunner.Create<int, string>((_, _) => Task.FromResult(edge));

        var result = await runner.RunAsync(0);

        Assert.Equal(edge, result.Result);
        H.AssertEvents(result, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
    }
}
