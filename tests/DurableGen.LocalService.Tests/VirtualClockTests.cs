using System;
using System.Diagnostics;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Time;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The service on a virtual clock that its host drives (what the conformance runner's HTTP host does).</summary>
public sealed class VirtualClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_host_driven_service_on_a_skipping_virtual_clock_runs_an_hour_long_wait_at_once()
    {
        var clock = new VirtualClock(T0);
        await using var test = await TestService.StartAsync(options =>
        {
            options.Driver = new ExecutionDriverOptions
            {
                TimeSkip = TimeSkipPolicy.AnyDueTime, Clock = clock, IdleTimeout = TimeSpan.FromSeconds(5),
            };
            options.RunsDriver = false;
        });
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var watch = Stopwatch.StartNew();

        // Nothing moves until the host drives: the execution was started, but no invocation was handed out.
        Assert.Equal(0, test.Service.Driver.InvocationsRun);
        var run = test.Service.Driver.RunUntilAsync(
            () => test.Service.Engine.GetSchedulingState(arn).Status != Protocol.ExecutionStatus.Running);

        var first = await function.NextAsync();
        await function.CheckpointAsync(arn, first.Envelope.CheckpointToken!,
            """[{"Id":"w1","Type":"WAIT","Action":"START","SubType":"Wait","WaitOptions":{"WaitSeconds":3600}}]""");
        // The invocation is in flight over HTTP: virtual time holds still until the function answers.
        Assert.Equal(T0, clock.GetUtcNow());
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));

        var second = await function.NextAsync();
        Assert.Equal(T0.AddHours(1), clock.GetUtcNow());
        Assert.Equal(202, await function.RespondAsync(second.RequestId, FakeFunction.Succeeded("done")));

        Assert.True(await run);
        Assert.Equal("SUCCEEDED", await test.StatusAsync(arn));
        Assert.Equal(T0.AddHours(1), clock.GetUtcNow());
        Assert.Equal(2, test.Service.Driver.InvocationsRun);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"an hour of virtual time took {watch.Elapsed} of wall time");
    }
}
