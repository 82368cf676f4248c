using System;

namespace DurableGen;

/// <summary>Decides whether a failed step attempt is retried, and after how long.</summary>
public interface IRetryStrategy
{
    /// <summary>Decides for <paramref name="exception"/>, thrown by attempt <paramref name="attemptNumber"/> (1-based).</summary>
    RetryDecision ShouldRetry(Exception exception, int attemptNumber);
}

/// <summary>The answer of an <see cref="IRetryStrategy"/>.</summary>
public readonly struct RetryDecision : IEquatable<RetryDecision>
{
    private RetryDecision(bool shouldRetry, TimeSpan delay)
    {
        ShouldRetry = shouldRetry;
        Delay = delay;
    }

    /// <summary>Whether to retry.</summary>
    public bool ShouldRetry { get; }

    /// <summary>The delay before the next attempt (sent as whole seconds, at least one).</summary>
    public TimeSpan Delay { get; }

    /// <summary>Do not retry: the step fails.</summary>
    public static RetryDecision DoNotRetry() => new(false, TimeSpan.Zero);

    /// <summary>Retry after <paramref name="delay"/>.</summary>
    public static RetryDecision RetryAfter(TimeSpan delay) => new(true, delay);

    /// <inheritdoc />
    public bool Equals(RetryDecision other) => ShouldRetry == other.ShouldRetry && Delay == other.Delay;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RetryDecision other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ShouldRetry, Delay);

    /// <summary>Equality.</summary>
    public static bool operator ==(RetryDecision left, RetryDecision right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RetryDecision left, RetryDecision right) => !left.Equals(right);
}

/// <summary>How a computed delay is randomised.</summary>
public enum JitterStrategy
{
    /// <summary>The computed delay as is.</summary>
    None,

    /// <summary>Uniform in [0, delay).</summary>
    Full,

    /// <summary>Uniform in [delay / 2, delay).</summary>
    Half,
}
