using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace DurableGen.Tests.Unit;

public class RetryStrategyTests
{
    private const int Samples = 2000;
    private static readonly Exception Failure = new InvalidOperationException("boom");

    // ---- argument validation ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Exponential_rejects_fewer_than_one_attempt(int maxAttempts)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RetryStrategy.Exponential(maxAttempts));
        Assert.Equal("maxAttempts", ex.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void Exponential_rejects_a_non_positive_initial_delay(double seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            RetryStrategy.Exponential(initialDelay: TimeSpan.FromSeconds(seconds)));
        Assert.Equal("initialDelay", ex.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    public void Exponential_rejects_a_non_positive_max_delay(double seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            RetryStrategy.Exponential(initialDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(seconds)));
        Assert.Equal("maxDelay", ex.ParamName);
    }

    [Fact]
    public void Exponential_rejects_an_initial_delay_above_the_max()
    {
        var explicitMax = Assert.Throws<ArgumentOutOfRangeException>(() =>
            RetryStrategy.Exponential(initialDelay: TimeSpan.FromSeconds(10), maxDelay: TimeSpan.FromSeconds(9)));
        Assert.Equal("maxDelay", explicitMax.ParamName);

        // The default max is 300 s.
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryStrategy.Exponential(initialDelay: TimeSpan.FromSeconds(301)));
    }

    [Fact]
    public void Exponential_accepts_initial_equal_to_max_and_rate_one()
    {
        var strategy = RetryStrategy.Exponential(3, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), 1.0, JitterStrategy.None);

        Assert.Equal(RetryDecision.RetryAfter(TimeSpan.FromSeconds(7)), strategy.ShouldRetry(Failure, 1));
        Assert.Equal(RetryDecision.RetryAfter(TimeSpan.FromSeconds(7)), strategy.ShouldRetry(Failure, 2));
    }

    [Theory]
    [InlineData(0.999)]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Exponential_rejects_a_rate_that_is_not_finite_or_below_one(double rate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RetryStrategy.Exponential(backoffRate: rate));
        Assert.Equal("backoffRate", ex.ParamName);
    }

    [Fact]
    public void FromDelegate_rejects_null()
    {
        Assert.Throws<ArgumentNullException>(() => RetryStrategy.FromDelegate(null!));
    }

    [Fact]
    public void FromDelegate_passes_exception_and_attempt_through()
    {
        var seen = new List<(Exception, int)>();
        var strategy = RetryStrategy.FromDelegate((ex, n) =>
        {
            seen.Add((ex, n));
            return n < 2 ? RetryDecision.RetryAfter(TimeSpan.FromSeconds(n * 10)) : RetryDecision.DoNotRetry();
        });

        Assert.Equal(RetryDecision.RetryAfter(TimeSpan.FromSeconds(10)), strategy.ShouldRetry(Failure, 1));
        Assert.False(strategy.ShouldRetry(Failure, 2).ShouldRetry);
        Assert.Equal([(Failure, 1), (Failure, 2)], seen);
    }

    // ---- arithmetic --------------------------------------------------------------------------------------------------

    [Fact]
    public void Exponential_without_jitter_gives_2_6_18_seconds_and_stops_at_max_attempts()
    {
        var strategy = RetryStrategy.Exponential(5, TimeSpan.FromSeconds(2), jitter: JitterStrategy.None, backoffRate: 3);

        Assert.Equal(RetryDecision.RetryAfter(TimeSpan.FromSeconds(2)), strategy.ShouldRetry(Failure, 1));
        Assert.Equal(RetryDecision.RetryAfter(TimeSpan.FromSeconds(6)), strategy.ShouldRetry(Failure, 2));
        Assert.Equal(RetryDecision.RetryAfter(TimeSpan.FromSeconds(18)), strategy.ShouldRetry(Failure, 3));
        Assert.Equal(RetryDecision.RetryAfter(TimeSpan.FromSeconds(54)), strategy.ShouldRetry(Failure, 4));
        Assert.Equal(RetryDecision.DoNotRetry(), strategy.ShouldRetry(Failure, 5));
        Assert.False(strategy.ShouldRetry(Failure, 6).ShouldRetry);
    }

    [Fact]
    public void Exponential_defaults_are_5_s_initial_300_s_max_and_rate_2()
    {
        var strategy = RetryStrategy.Exponential(maxAttempts: 10, jitter: JitterStrategy.None);

        var delays = Enumerable.Range(1, 8).Select(n => strategy.ShouldRetry(Failure, n).Delay.TotalSeconds).ToArray();

        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300], delays);
    }

    [Fact]
    public void Exponential_default_max_attempts_is_three()
    {
        var strategy = RetryStrategy.Exponential(jitter: JitterStrategy.None);

        Assert.True(strategy.ShouldRetry(Failure, 2).ShouldRetry);
        Assert.False(strategy.ShouldRetry(Failure, 3).ShouldRetry);
    }

    [Fact]
    public void Delay_is_capped_at_the_max_delay()
    {
        var strategy = RetryStrategy.Exponential(10, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20), 3.0, JitterStrategy.None);

        Assert.Equal(TimeSpan.FromSeconds(4), strategy.ShouldRetry(Failure, 1).Delay);
        Assert.Equal(TimeSpan.FromSeconds(12), strategy.ShouldRetry(Failure, 2).Delay);
        Assert.Equal(TimeSpan.FromSeconds(20), strategy.ShouldRetry(Failure, 3).Delay);
        Assert.Equal(TimeSpan.FromSeconds(20), strategy.ShouldRetry(Failure, 9).Delay);
    }

    [Fact]
    public void Delay_has_a_floor_of_one_second()
    {
        var strategy = RetryStrategy.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), 2.0,
            JitterStrategy.None);

        Assert.Equal(TimeSpan.FromSeconds(1), strategy.ShouldRetry(Failure, 1).Delay);
        Assert.Equal(TimeSpan.FromSeconds(1), strategy.ShouldRetry(Failure, 3).Delay);
    }

    [Fact]
    public void Delay_is_rounded_up_to_whole_seconds()
    {
        var strategy = RetryStrategy.Exponential(5, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(100), 1.5,
            JitterStrategy.None);

        Assert.Equal(TimeSpan.FromSeconds(2), strategy.ShouldRetry(Failure, 1).Delay); // 1.2
        Assert.Equal(TimeSpan.FromSeconds(2), strategy.ShouldRetry(Failure, 2).Delay); // 1.8
        Assert.Equal(TimeSpan.FromSeconds(3), strategy.ShouldRetry(Failure, 3).Delay); // 2.7
        Assert.Equal(TimeSpan.FromSeconds(5), strategy.ShouldRetry(Failure, 4).Delay); // 4.05
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.001, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.001, 2)]
    [InlineData(59.5, 60)]
    [InlineData(86400.0, 86400)]
    [InlineData(34_560_000.0, 31_622_400)]
    public void ToDelaySeconds_is_ceiling_with_a_floor_of_one_and_a_ceiling_of_366_days(double seconds, int expected)
    {
        Assert.Equal(expected, RetryStrategy.ToDelaySeconds(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Default_with_full_jitter_stays_within_1_to_5_then_1_to_10_seconds()
    {
        var first = Sample(RetryStrategy.Default, 1);
        var second = Sample(RetryStrategy.Default, 2);

        Assert.All(first, d => Assert.InRange(d, 1, 5));
        Assert.All(second, d => Assert.InRange(d, 1, 10));
        Assert.All(first.Concat(second), d => Assert.Equal(Math.Floor(d), d));
        // Jitter really spreads the values (2000 samples: every bucket is hit with overwhelming probability).
        Assert.Equal([1, 2, 3, 4, 5], first.Distinct().Order());
        Assert.True(second.Distinct().Count() >= 9, "full jitter should cover most of 1..10");
    }

    [Fact]
    public void Default_caps_at_60_seconds_and_allows_six_attempts()
    {
        var fifth = Sample(RetryStrategy.Default, 5); // 5 × 2^4 = 80 → capped at 60

        Assert.All(fifth, d => Assert.InRange(d, 1, 60));
        Assert.Contains(fifth, d => d > 40);
        Assert.False(RetryStrategy.Default.ShouldRetry(Failure, 6).ShouldRetry);
    }

    [Fact]
    public void Half_jitter_stays_between_half_and_full_delay()
    {
        var strategy = RetryStrategy.Exponential(10, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), 2.0, JitterStrategy.Half);

        var first = Sample(strategy, 1);   // [5, 10)
        var third = Sample(strategy, 3);   // [20, 40)

        Assert.All(first, d => Assert.InRange(d, 5, 10));
        Assert.All(third, d => Assert.InRange(d, 20, 40));
        Assert.True(first.Distinct().Count() >= 4, "half jitter should spread over 5..10");
        Assert.True(third.Distinct().Count() >= 15, "half jitter should spread over 20..40");
    }

    [Fact]
    public void Transient_uses_half_jitter_from_one_second_and_three_attempts()
    {
        var first = Sample(RetryStrategy.Transient, 1);  // [0.5, 1) → 1
        var second = Sample(RetryStrategy.Transient, 2); // [1, 2) → 1..2

        Assert.All(first, d => Assert.Equal(1, d));
        Assert.All(second, d => Assert.InRange(d, 1, 2));
        Assert.False(RetryStrategy.Transient.ShouldRetry(Failure, 3).ShouldRetry);
    }

    [Fact]
    public void Jitter_helper_bounds()
    {
        for (var i = 0; i < Samples; i++)
        {
            Assert.InRange(RetryStrategy.Jitter(8, JitterStrategy.Full), 0, 8);
            Assert.InRange(RetryStrategy.Jitter(8, JitterStrategy.Half), 4, 8);
        }

        Assert.Equal(8, RetryStrategy.Jitter(8, JitterStrategy.None));
    }

    private static List<double> Sample(IRetryStrategy strategy, int attempt)
    {
        var delays = new List<double>(Samples);
        for (var i = 0; i < Samples; i++)
        {
            var decision = strategy.ShouldRetry(Failure, attempt);
            Assert.True(decision.ShouldRetry);
            delays.Add(decision.Delay.TotalSeconds);
        }

        return delays;
    }

    // ---- retryable filter ------------------------------------------------------------------------------------------

    [Fact]
    public void Without_filters_every_exception_is_retryable()
    {
        var strategy = RetryStrategy.Exponential(3, jitter: JitterStrategy.None);

        Assert.True(strategy.ShouldRetry(new IOException("x"), 1).ShouldRetry);
        Assert.True(strategy.ShouldRetry(new ArgumentException("y"), 1).ShouldRetry);
    }

    [Fact]
    public void Exception_type_filter_matches_assignable_types_only()
    {
        var strategy = RetryStrategy.Exponential(3, jitter: JitterStrategy.None,
            retryableExceptions: [typeof(IOException)]);

        Assert.True(strategy.ShouldRetry(new IOException("x"), 1).ShouldRetry);
        Assert.True(strategy.ShouldRetry(new FileNotFoundException("x"), 1).ShouldRetry); // derived
        Assert.False(strategy.ShouldRetry(new InvalidOperationException("x"), 1).ShouldRetry);
        Assert.False(strategy.ShouldRetry(new Exception("x"), 1).ShouldRetry); // base is not assignable to IOException
    }

    [Fact]
    public void Message_pattern_filter_uses_regex_on_the_message()
    {
        var strategy = RetryStrategy.Exponential(3, jitter: JitterStrategy.None,
            retryableMessagePatterns: ["timed? ?out", "^Throttl"]);

        Assert.True(strategy.ShouldRetry(new Exception("request timeout"), 1).ShouldRetry);
        Assert.True(strategy.ShouldRetry(new Exception("call timed out"), 1).ShouldRetry);
        Assert.True(strategy.ShouldRetry(new Exception("Throttled by service"), 1).ShouldRetry);
        Assert.False(strategy.ShouldRetry(new Exception("was Throttled"), 1).ShouldRetry);
        Assert.False(strategy.ShouldRetry(new Exception("bad input"), 1).ShouldRetry);
    }

    [Fact]
    public void Type_or_pattern_either_makes_an_exception_retryable()
    {
        var strategy = RetryStrategy.Exponential(3, jitter: JitterStrategy.None,
            retryableExceptions: [typeof(TimeoutException)], retryableMessagePatterns: ["transient"]);

        Assert.True(strategy.ShouldRetry(new TimeoutException("anything"), 1).ShouldRetry);
        Assert.True(strategy.ShouldRetry(new InvalidOperationException("a transient glitch"), 1).ShouldRetry);
        Assert.False(strategy.ShouldRetry(new InvalidOperationException("permanent"), 1).ShouldRetry);
    }

    [Fact]
    public void Empty_filter_arrays_retry_nothing()
    {
        var strategy = RetryStrategy.Exponential(3, jitter: JitterStrategy.None, retryableExceptions: []);

        Assert.False(strategy.ShouldRetry(new Exception("x"), 1).ShouldRetry);
    }

    [Fact]
    public void Max_attempts_wins_over_the_filter()
    {
        var strategy = RetryStrategy.Exponential(2, jitter: JitterStrategy.None, retryableExceptions: [typeof(Exception)]);

        Assert.True(strategy.ShouldRetry(new Exception("x"), 1).ShouldRetry);
        Assert.False(strategy.ShouldRetry(new Exception("x"), 2).ShouldRetry);
    }

    // ---- None and RetryDecision ------------------------------------------------------------------------------------

    [Fact]
    public void None_never_retries()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Equal(RetryDecision.DoNotRetry(), RetryStrategy.None.ShouldRetry(Failure, attempt));
        }
    }

    [Fact]
    public void RetryDecision_factories_and_equality()
    {
        var stop = RetryDecision.DoNotRetry();
        var after = RetryDecision.RetryAfter(TimeSpan.FromSeconds(3));

        Assert.False(stop.ShouldRetry);
        Assert.Equal(TimeSpan.Zero, stop.Delay);
        Assert.True(after.ShouldRetry);
        Assert.Equal(TimeSpan.FromSeconds(3), after.Delay);
        Assert.True(after == RetryDecision.RetryAfter(TimeSpan.FromSeconds(3)));
        Assert.True(after != RetryDecision.RetryAfter(TimeSpan.FromSeconds(4)));
        Assert.NotEqual(stop, RetryDecision.RetryAfter(TimeSpan.Zero));
        Assert.Equal(after.GetHashCode(), RetryDecision.RetryAfter(TimeSpan.FromSeconds(3)).GetHashCode());
        Assert.False(after.Equals((object)"not a decision"));
    }
}
