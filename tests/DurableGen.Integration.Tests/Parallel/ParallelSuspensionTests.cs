using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Parallel;

/// <summary>Branches running at once that each need the service to come back (polls, invokes, waits).</summary>
public sealed class ParallelSuspensionTests
{
    [Fact]
    public async Task Concurrent_polls_thread_their_own_state_to_the_end()
    {
        static Func<IDurableContext, CancellationToken, Task<int>> Poll(int step, int target, int delay) => (c, _) =>
            c.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s + step), new WaitForConditionConfig<int>
            {
                InitialState = 0,
                WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(delay), isDone: s => s >= target),
            }, $"poll-{step}");

        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>([Poll(1, 3, 1), Poll(10, 40, 3)], "polls");
            return string.Join(",", batch.GetResults());
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("3,40", result.Result);
        string[] Payloads(string name) => H.Of(result, EventType.StepSucceeded).Where(e => e.Name == name)
            .Select(e => e.StepSucceededDetails!.Result!.Payload!).ToArray();
        Assert.Equal(new[] { "1", "2", "3" }, Payloads("poll-1"));
        Assert.Equal(new[] { "10", "20", "30", "40" }, Payloads("poll-10"));
        // A poll whose retry is not yet due when a sibling wakes the execution suspends without writing anything.
        Assert.Equal(3, H.Of(result, EventType.StepStarted).Count(e => e.Name == "poll-1"));
        Assert.Equal(4, H.Of(result, EventType.StepStarted).Count(e => e.Name == "poll-10"));
    }

    [Fact]
    public async Task Concurrent_invokes_each_start_their_target_once()
    {
        var calls = new ConcurrentDictionary<int, int>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 1, 2, 3 },
                (c, item, _, _, _) => c.InvokeAsync<int, int>("square", item, "call"), "invokes");
            return string.Join(",", batch.GetResults());
        });
        runner.Host.RegisterFunction<int, int>("square", (x, _) =>
        {
            calls.AddOrUpdate(x, 1, (_, n) => n + 1);
            return Task.FromResult(x * x);
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("1,4,9", result.Result);
        Assert.Equal(new[] { 1, 1, 1 }, new[] { 1, 2, 3 }.Select(x => calls[x]));
        Assert.Equal(3, H.Of(result, EventType.ChainedInvokeStarted).Count);
        Assert.Equal(3, H.Of(result, EventType.ChainedInvokeStarted).Select(e => e.ParentId).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_waits_of_different_lengths_all_complete_and_each_step_runs_once()
    {
        var steps = new ConcurrentDictionary<int, int>();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 5, 1, 3, 2 }, async (c, seconds, i, _, _) =>
            {
                await c.WaitAsync(TimeSpan.FromSeconds(seconds), "nap");
                return await c.StepAsync((_, _) => { steps.AddOrUpdate(i, 1, (_, n) => n + 1); return Task.FromResult(seconds); }, "s");
            }, "naps", new MapConfig<int> { MaxConcurrency = 2 });
            return batch.GetResults().Sum();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(11, result.Result);
        Assert.Equal(new[] { 1, 1, 1, 1 }, Enumerable.Range(0, 4).Select(i => steps[i]));
        Assert.Equal(4, H.Of(result, EventType.WaitSucceeded).Count);
        Assert.Single(H.Of(result, EventType.ContextSucceeded), e => e.SubType == "Map");
    }
}
