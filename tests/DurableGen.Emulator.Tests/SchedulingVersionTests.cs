using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>The engine's scheduling version (what lets a host skip waking its driver after a checkpoint) moves exactly
/// when what the driver reads may have changed: a runnable execution, a due time.</summary>
public sealed class SchedulingVersionTests
{
    [Fact]
    public void A_step_checkpoint_keeps_it_and_a_timer_or_a_new_runnable_execution_moves_it()
    {
        var harness = new Harness();
        var invocation = harness.StartAndBegin();
        var engine = harness.Engine;

        var version = engine.SchedulingVersion;
        invocation.Checkpoint(U.StepStart("s1"), U.StepSucceed("s1", "1"));
        invocation.Checkpoint(U.StepStart("s2"));
        Assert.Equal(version, engine.SchedulingVersion);

        invocation.Checkpoint(U.WaitStart("w1", 60));
        Assert.NotEqual(version, engine.SchedulingVersion);

        version = engine.SchedulingVersion;
        harness.Start(name: "second");
        Assert.NotEqual(version, engine.SchedulingVersion);

        version = engine.SchedulingVersion;
        invocation.Complete(DurableGen.Protocol.InvocationStatus.Pending);
        Assert.Equal(version, engine.SchedulingVersion); // waiting on its timer: neither runnable nor re-timed
        harness.Clock.Advance(System.TimeSpan.FromSeconds(61));
        Assert.Equal(1, engine.FireDueTimers());
        Assert.NotEqual(version, engine.SchedulingVersion);
    }
}
