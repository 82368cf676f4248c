using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Parallel;

/// <summary>Outcome classification of units (semantics §4.8 step 4) beyond success and failure.</summary>
public sealed class ParallelEdgeTests
{
    [Fact]
    public async Task Non_determinism_inside_a_branch_escapes_the_parallel_without_a_parent_succeed()
    {
        var invocation = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var first = invocation.Increment() == 1;
            var batch = await ctx.ParallelAsync<int>(
            [
                (c, _) => c.StepAsync((_, _) => Task.FromResult(1), "fine"),
                async (c, _) =>
                {
                    if (first)
                    {
                        await c.StepAsync((_, _) => Task.FromResult(2), "a");
                    }
                    else
                    {
                        await c.WaitAsync(TimeSpan.FromSeconds(1), "a"); // a wait where the history has a step
                    }

                    await c.WaitAsync(TimeSpan.FromSeconds(5), "later");
                    return 2;
                },
            ], "p", new ParallelConfig { MaxConcurrency = 1 });
            return batch.GetResults().Sum();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(NonDeterministicExecutionException).FullName, result.Error!.ErrorType);
        Assert.DoesNotContain(H.Of(result, EventType.ContextSucceeded), e => e.SubType == "Parallel");
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.ContextFailed);
    }

    [Fact]
    public async Task Caller_cancellation_escapes_the_map_and_leaves_the_parent_started()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            using var cts = new CancellationTokenSource();
            try
            {
                await ctx.MapAsync<int, int>(new[] { 0, 1 }, async (c, item, _, _, token) =>
                {
                    if (item == 1)
                    {
                        await cts.CancelAsync();
                        token.ThrowIfCancellationRequested();
                    }

                    return item;
                }, "m", new MapConfig<int> { MaxConcurrency = 1 }, cts.Token);
                return "completed";
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("cancelled", result.Result);
        Assert.Equal(OperationStatus.Started, result.FindOperation("m")!.Status);
        Assert.Single(H.Of(result, EventType.ContextSucceeded)); // unit 0 only
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.ContextFailed);
    }

    [Fact]
    public async Task A_unit_that_ignores_the_short_circuit_is_waited_for_and_counted()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 0, 1 }, async (_, item, _, _, _) =>
            {
                if (item == 1)
                {
                    await Task.Delay(200); // ignores its token
                }

                return item + 10;
            }, "m", new MapConfig<int> { CompletionConfig = CompletionConfig.FirstSuccessful() });
            return $"{batch.CompletionReason} {batch.TotalCount} {string.Join(",", batch.GetResults())}";
        });

        var result = await runner.RunAsync(0);

        // Both finished, so nothing was left started: the run reads as all completed.
        Assert.Equal("AllCompleted 2 10,11", result.Result);
        Assert.Equal(2, H.Of(result, EventType.ContextSucceeded).Count(e => e.SubType == "MapIteration"));
    }

    [Fact]
    public async Task Invoke_of_a_target_that_returns_nothing_gives_the_default()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var value = await ctx.InvokeAsync<int, string?>("nothing", 1, "call");
            return value is null ? "null" : "'" + value + "'";
        });
        runner.Host.RegisterFunction<int, string?>("nothing", (_, _) => Task.FromResult<string?>(null));

        var result = await runner.RunAsync(0);

        Assert.Equal("null", result.Result);
        Assert.Null(H.One(result, EventType.ChainedInvokeSucceeded).ChainedInvokeSucceededDetails!.Result?.Payload);
    }
}
