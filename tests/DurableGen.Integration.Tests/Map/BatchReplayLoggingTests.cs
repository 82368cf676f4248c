using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DurableGen.Integration.Tests.Map;

/// <summary>
/// The replay flag (semantics §3.3) around operations whose inner records the workflow never visits on replay: batches
/// rebuilt from their summary or over their children, and polls resumed in a later invocation. Lines logged after the
/// replayed part must appear exactly once.
/// </summary>
public sealed class BatchReplayLoggingTests
{
    private static int Count<T>(DurableTestResult<T> result, string text) =>
        result.Logs.Count(l => l.Message.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Lines_around_a_map_rebuilt_from_its_summary_appear_once()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 1, 2, 3 }, async (c, item, _, _, _) =>
            {
                c.Logger.LogInformation("unit {Item}", item);
                return await c.StepAsync((_, _) => Task.FromResult(item), "s");
            }, "m", new MapConfig<int> { MaxConcurrency = 2 });
            ctx.Logger.LogInformation("after map {Sum}", batch.GetResults().Sum());
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            ctx.Logger.LogInformation("after wait");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            ctx.Logger.LogInformation("done");
            return batch.TotalCount;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(1, Count(result, "unit 2"));
        Assert.Equal(1, Count(result, "after map 6"));
        Assert.Equal(1, Count(result, "after wait"));
        Assert.Equal(1, Count(result, "done"));
    }

    [Fact]
    public async Task Lines_after_an_overflowing_map_with_bailed_units_appear_once()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, string>(new[] { 0, 1, 2 }, async (_, item, _, _, token) =>
            {
                if (item < 2)
                {
                    return new string('q', 150 * 1024);
                }

                await Task.Delay(Timeout.Infinite, token);
                return "";
            }, "m", new MapConfig<int> { CompletionConfig = new CompletionConfig { MinSuccessful = 2 } });
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            ctx.Logger.LogInformation("after wait {Total}", batch.TotalCount);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            ctx.Logger.LogInformation("done");
            return batch.TotalCount;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        Assert.True(result.FindOperation("m")!.Record.ContextDetails!.ReplayChildren);
        Assert.Equal(1, Count(result, "after wait 3"));
        Assert.Equal(1, Count(result, "done"));
    }

    [Fact]
    public async Task Each_poll_logs_once_even_though_later_polls_run_in_later_invocations()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            await ctx.StepAsync((_, _) => Task.FromResult(1), "first");
            return await ctx.WaitForConditionAsync<int>((s, check, _) =>
            {
                check.Logger.LogInformation("poll {Attempt}", check.AttemptNumber);
                return Task.FromResult(s + 1);
            }, new WaitForConditionConfig<int>
            {
                InitialState = 0,
                WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(1), isDone: s => s >= 3),
            }, "poll");
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(new[] { 1, 1, 1 }, new[] { "poll 1", "poll 2", "poll 3" }.Select(t => Count(result, t)));
    }
}
