using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Time;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class VirtualClockTests
{
    [Fact]
    public void Time_moves_only_when_told()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var t0 = clock.GetUtcNow();
        Assert.Equal(t0, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(t0.AddDays(365), clock.GetUtcNow());
        clock.SetUtcNow(t0); // never backwards
        Assert.Equal(t0.AddDays(365), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task Delays_on_the_virtual_clock_complete_when_it_is_advanced()
    {
        var clock = new VirtualClock();
        var delay = Task.Delay(TimeSpan.FromHours(1), clock);
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void Periodic_timers_fire_once_per_period_crossed()
    {
        var clock = new VirtualClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(35));
        Assert.Equal(3, fired);
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(3, fired);
    }
}
