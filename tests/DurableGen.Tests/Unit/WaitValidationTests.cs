using System;
using DurableGen.Operations;
using Xunit;

namespace DurableGen.Tests.Unit;

/// <summary>semantics.md §4.2: wait durations are validated before an id is allocated.</summary>
public class WaitValidationTests
{
    private const int MaxSeconds = 31_622_400;

    public static TheoryData<TimeSpan> Valid => new()
    {
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(1.5),
        TimeSpan.FromMinutes(1),
        TimeSpan.FromDays(365),
        TimeSpan.FromSeconds(MaxSeconds),
    };

    public static TheoryData<TimeSpan> Invalid => new()
    {
        TimeSpan.Zero,
        TimeSpan.FromMilliseconds(999),
        TimeSpan.FromSeconds(-1),
        TimeSpan.FromSeconds(MaxSeconds) + TimeSpan.FromTicks(1),
        TimeSpan.FromSeconds(MaxSeconds + 1),
        TimeSpan.MaxValue,
    };

    [Fact]
    public void Max_is_366_days()
    {
        Assert.Equal(MaxSeconds, WaitOperation.MaxWaitSeconds);
        Assert.Equal(TimeSpan.FromDays(366), TimeSpan.FromSeconds(WaitOperation.MaxWaitSeconds));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Durations_from_one_second_to_366_days_are_accepted(TimeSpan duration)
    {
        var ex = Record.Exception(() => WaitOperation.Validate(duration));
        Assert.Null(ex);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Durations_outside_the_range_are_rejected(TimeSpan duration)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WaitOperation.Validate(duration));
        Assert.Equal("duration", ex.ParamName);
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(60.0, 60)]
    [InlineData(3600.0, 3600)]
    public void Wait_seconds_are_the_ceiling_of_the_duration(double seconds, int expected)
    {
        Assert.Equal(expected, RetryStrategy.ToDelaySeconds(TimeSpan.FromSeconds(seconds)));
    }
}
