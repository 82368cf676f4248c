using System;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Integration.Tests.Support;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Step_wait_callback_round_trip()
    {
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            var a = await ctx.StepAsync((_, _) => Task.FromResult(input + "-a"), "a");
            await ctx.WaitAsync(TimeSpan.FromHours(1), "pause");
            var cb = await ctx.CreateCallbackAsync<string>("approve");
            var answer = await cb.GetResultAsync();
            return a + ":" + answer;
        });
        runner.OnCallback("approve", cb => cb.SucceedAsync("yes"));
        var result = await runner.RunAsync("in");
        Console.WriteLine(result.FormatTimeline());
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("in-a:yes", result.Result);
        Assert.Equal(3, result.InvocationCount);
    }
}
