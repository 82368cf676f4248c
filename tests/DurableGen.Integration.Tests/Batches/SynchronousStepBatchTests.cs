using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Integration.Tests.Batches;

/// <summary>
/// A step whose body completes synchronously sends its START and SUCCEED in one request, every time: the batcher's
/// requests depend on the program, not on when its consumer thread wakes.
/// </summary>
public sealed class SynchronousStepBatchTests
{
    private const int Steps = 20;
    private const int Runs = 30;

    [Fact]
    public async Task Every_run_of_N_synchronous_steps_sends_N_requests_each_with_the_start_and_succeed_of_one_step()
    {
        for (var run = 0; run < Runs; run++)
        {
            var harness = new EngineHarness();
            harness.Start();
            var client = new EngineClient(harness.Engine);

            var output = await harness.InvokeAsync(async (_, ctx) =>
            {
                var sum = 0;
                for (var i = 0; i < Steps; i++)
                {
                    // Synchronous, but long enough that a consumer woken by the START alone would send it alone.
                    sum += await ctx.StepAsync((_, _) => Task.FromResult(Busy(i)), $"s{i}");
                }

                return sum;
            }, client);

            Assert.Equal(InvocationStatus.Succeeded, output.Status);
            var requests = client.Checkpoints.Select(r => string.Join(",",
                r.Updates!.Select(u => $"{u.Name}:{u.Action}"))).ToList();
            Assert.Equal(Enumerable.Range(0, Steps).Select(i => $"s{i}:{OperationAction.Start},s{i}:{OperationAction.Succeed}"),
                requests);
        }
    }

    [Fact]
    public async Task A_step_that_awaits_sends_its_start_before_its_body_finishes()
    {
        var harness = new EngineHarness();
        harness.Start();
        var client = new EngineClient(harness.Engine);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startSeen = false;

        var invocation = harness.InvokeAsync(async (_, ctx) => await ctx.StepAsync(async (_, _) =>
        {
            await release.Task;
            return 1;
        }, "slow"), client);
        var watch = Stopwatch.StartNew();
        while (!startSeen && watch.Elapsed.TotalSeconds < 30)
        {
            lock (client.Checkpoints)
            {
                startSeen = client.Checkpoints.Any(r => r.Updates!.Any(u => u.Action == OperationAction.Start));
            }

            await Task.Delay(5);
        }

        release.SetResult();
        var output = await invocation;

        Assert.True(startSeen, "the START of a step still running was not sent");
        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Equal(2, client.Checkpoints.Count);
    }

    private static int Busy(int value)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalMilliseconds < 1)
        {
            Thread.SpinWait(20);
        }

        return value;
    }
}
