using System;
using DurableGen.Operations;
using Xunit;

namespace DurableGen.Tests.Unit;

public class CallbackConfigTests
{
    public static TheoryData<TimeSpan> Accepted => new()
    {
        TimeSpan.Zero,
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(1.5),
        TimeSpan.FromHours(1),
        TimeSpan.FromDays(1),
    };

    public static TheoryData<TimeSpan> Rejected => new()
    {
        TimeSpan.FromTicks(-1),
        TimeSpan.FromSeconds(-5),
        TimeSpan.FromTicks(1),
        TimeSpan.FromMilliseconds(500),
        TimeSpan.FromMilliseconds(999),
    };

    [Fact]
    public void Defaults_are_zero()
    {
        var config = new CallbackConfig();

        Assert.Equal(TimeSpan.Zero, config.Timeout);
        Assert.Equal(TimeSpan.Zero, config.HeartbeatTimeout);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Timeout_accepts_zero_and_at_least_one_second(TimeSpan value)
    {
        var config = new CallbackConfig { Timeout = value };
        Assert.Equal(value, config.Timeout);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void HeartbeatTimeout_accepts_zero_and_at_least_one_second(TimeSpan value)
    {
        var config = new CallbackConfig { HeartbeatTimeout = value };
        Assert.Equal(value, config.HeartbeatTimeout);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Timeout_rejects_negative_and_sub_second_values(TimeSpan value)
    {
        var config = new CallbackConfig { Timeout = TimeSpan.FromSeconds(10) };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => config.Timeout = value);

        Assert.Equal("Timeout", ex.ParamName);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Timeout); // unchanged
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void HeartbeatTimeout_rejects_negative_and_sub_second_values(TimeSpan value)
    {
        var config = new CallbackConfig();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => config.HeartbeatTimeout = value);

        Assert.Equal("HeartbeatTimeout", ex.ParamName);
        Assert.Equal(TimeSpan.Zero, config.HeartbeatTimeout);
    }

    [Fact]
    public void WaitForCallbackConfig_inherits_the_validation()
    {
        var config = new WaitForCallbackConfig();

        Assert.Throws<ArgumentOutOfRangeException>(() => config.Timeout = TimeSpan.FromMilliseconds(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => config.HeartbeatTimeout = TimeSpan.FromSeconds(-1));
        Assert.Null(config.RetryStrategy);
    }

    // ---- CallbackOptions mapping (semantics §4.3) -------------------------------------------------------------------

    [Fact]
    public void No_options_without_a_config()
    {
        Assert.Null(CallbackOperation<string>.Options(null));
    }

    [Fact]
    public void No_options_when_both_values_are_zero()
    {
        Assert.Null(CallbackOperation<string>.Options(new CallbackConfig()));
        Assert.Null(CallbackOperation<string>.Options(new WaitForCallbackConfig
        {
            Timeout = TimeSpan.Zero, HeartbeatTimeout = TimeSpan.Zero, RetryStrategy = RetryStrategy.None,
        }));
    }

    [Fact]
    public void Both_values_map_to_whole_seconds()
    {
        var options = CallbackOperation<string>.Options(new CallbackConfig
        {
            Timeout = TimeSpan.FromDays(1), HeartbeatTimeout = TimeSpan.FromHours(1),
        })!;

        Assert.Equal(86400, options.TimeoutSeconds);
        Assert.Equal(3600, options.HeartbeatTimeoutSeconds);
    }

    [Fact]
    public void Only_the_non_zero_value_is_sent()
    {
        var timeoutOnly = CallbackOperation<int>.Options(new CallbackConfig { Timeout = TimeSpan.FromMinutes(5) })!;
        Assert.Equal(300, timeoutOnly.TimeoutSeconds);
        Assert.Null(timeoutOnly.HeartbeatTimeoutSeconds);

        var heartbeatOnly = CallbackOperation<int>.Options(new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(30) })!;
        Assert.Null(heartbeatOnly.TimeoutSeconds);
        Assert.Equal(30, heartbeatOnly.HeartbeatTimeoutSeconds);
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(1.001, 2)]
    [InlineData(1.5, 2)]
    [InlineData(59.9, 60)]
    public void Fractional_seconds_are_rounded_up(double seconds, int expected)
    {
        var options = CallbackOperation<string>.Options(new CallbackConfig
        {
            Timeout = TimeSpan.FromSeconds(seconds), HeartbeatTimeout = TimeSpan.FromSeconds(seconds),
        })!;

        Assert.Equal(expected, options.TimeoutSeconds);
        Assert.Equal(expected, options.HeartbeatTimeoutSeconds);
    }
}
