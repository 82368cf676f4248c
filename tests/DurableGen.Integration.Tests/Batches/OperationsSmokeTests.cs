using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Integration.Tests.Support;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Batches;

public sealed class OperationsSmokeTests
{
    [Fact]
    public async Task Parallel_map_invoke_and_wait_for_condition_run_and_replay()
    {
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            var parallel = await ctx.ParallelAsync<string>(
            [
                async (c, _) => await c.StepAsync((_, _) => Task.FromResult("a"), "pa"),
                async (c, _) => { await c.WaitAsync(TimeSpan.FromSeconds(5), "pw"); return "b"; },
            ], "par");
            var map = await ctx.MapAsync<int, int>([1, 2, 3],
                async (c, item, i, all, _) => await c.StepAsync((_, _) => Task.FromResult(item * 10), $"m{i}"), "map",
                new MapConfig<int> { MaxConcurrency = 1 });
            var invoked = await ctx.InvokeAsync<string, string>("echo", input, "call");
            var polled = await ctx.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s + 1),
                new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(2), isDone: s => s >= 3) },
                "poll");
            return $"{string.Join("", parallel.GetResults())}|{map.GetResults().Sum()}|{invoked}|{polled}";
        });
        runner.Host.RegisterFunction<string, string>("echo", (s, _) => Task.FromResult("echo:" + s));

        var result = await runner.RunAsync("x");

        Assert.True(result.Status == ExecutionStatus.Succeeded, result.FormatTimeline() + result.Error?.ErrorMessage);
        Assert.Equal("ab|60|echo:x|3", result.Result);
        var par = result.FindOperation("par")!;
        Assert.Equal("Parallel", par.SubType);
        Assert.Equal(2, par.Children.Count);
        Assert.All(par.Children, c => Assert.Equal("ParallelBranch", c.SubType));
        Assert.Contains("\"CompletionReason\":\"ALL_COMPLETED\"", par.ResultText, StringComparison.Ordinal);
    }
}
