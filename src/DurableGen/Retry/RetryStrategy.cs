using System;
using System.Text.RegularExpressions;

namespace DurableGen;

/// <summary>Ready-made retry strategies.</summary>
public static class RetryStrategy
{
    /// <summary>6 attempts, 5 s initial delay doubling up to 60 s, full jitter. Used when a step configures none.</summary>
    public static IRetryStrategy Default { get; } = Exponential(6, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), 2.0,
        JitterStrategy.Full);

    /// <summary>3 attempts, 1 s initial delay doubling up to 5 s, half jitter: for brief glitches.</summary>
    public static IRetryStrategy Transient { get; } = Exponential(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 2.0,
        JitterStrategy.Half);

    /// <summary>Never retry.</summary>
    public static IRetryStrategy None { get; } = Exponential(maxAttempts: 1);

    /// <summary>
    /// Exponential backoff: attempt <c>n</c> waits <c>min(initial × rate^(n−1), max)</c>, jittered, rounded up to whole
    /// seconds (at least one). When exception types or message patterns are given, only matching failures retry.
    /// </summary>
    public static IRetryStrategy Exponential(int maxAttempts = 3, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null,
        double backoffRate = 2.0, JitterStrategy jitter = JitterStrategy.Full, Type[]? retryableExceptions = null,
        string[]? retryableMessagePatterns = null)
    {
        var initial = initialDelay ?? TimeSpan.FromSeconds(5);
        var max = maxDelay ?? TimeSpan.FromSeconds(300);
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "At least one attempt is required.");
        }

        if (initial <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(initialDelay), initial, "The initial delay must be positive.");
        }

        if (max <= TimeSpan.Zero || initial > max)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), max,
                "The maximum delay must be positive and not less than the initial delay.");
        }

        if (!double.IsFinite(backoffRate) || backoffRate < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(backoffRate), backoffRate, "The backoff rate must be finite and at least 1.");
        }

        return new ExponentialRetryStrategy(maxAttempts, initial, max, backoffRate, jitter, retryableExceptions,
            retryableMessagePatterns);
    }

    /// <summary>A strategy written as a delegate.</summary>
    public static IRetryStrategy FromDelegate(Func<Exception, int, RetryDecision> strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new DelegateRetryStrategy(strategy);
    }

    /// <summary>The longest delay the service accepts: 366 days.</summary>
    internal const int MaxDelaySeconds = 31_622_400;

    /// <summary>Whole seconds of a delay as the service takes them: rounded up, at least one, at most 366 days.</summary>
    internal static int ToDelaySeconds(TimeSpan delay) =>
        (int)Math.Clamp(Math.Ceiling(delay.TotalSeconds), 1, MaxDelaySeconds);

    internal static double Jitter(double seconds, JitterStrategy jitter) => jitter switch
    {
        JitterStrategy.Full => Random.Shared.NextDouble() * seconds,
        JitterStrategy.Half => seconds * (0.5 + 0.5 * Random.Shared.NextDouble()),
        _ => seconds,
    };

    private sealed class ExponentialRetryStrategy(int maxAttempts, TimeSpan initial, TimeSpan max, double rate,
        JitterStrategy jitter, Type[]? retryableExceptions, string[]? retryableMessagePatterns) : IRetryStrategy
    {
        private readonly Regex[]? _patterns = retryableMessagePatterns is null
            ? null
            : Array.ConvertAll(retryableMessagePatterns, p => new Regex(p, RegexOptions.CultureInvariant));

        public RetryDecision ShouldRetry(Exception exception, int attemptNumber)
        {
            if (attemptNumber >= maxAttempts || !IsRetryable(exception))
            {
                return RetryDecision.DoNotRetry();
            }

            var capped = Math.Min(initial.TotalSeconds * Math.Pow(rate, attemptNumber - 1), max.TotalSeconds);
            return RetryDecision.RetryAfter(TimeSpan.FromSeconds(ToDelaySeconds(TimeSpan.FromSeconds(Jitter(capped, jitter)))));
        }

        private bool IsRetryable(Exception exception)
        {
            if (retryableExceptions is null && _patterns is null)
            {
                return true;
            }

            var type = exception.GetType();
            return (retryableExceptions is not null && Array.Exists(retryableExceptions, t => t.IsAssignableFrom(type)))
                || (_patterns is not null && Array.Exists(_patterns, p => p.IsMatch(exception.Message)));
        }
    }

    private sealed class DelegateRetryStrategy(Func<Exception, int, RetryDecision> strategy) : IRetryStrategy
    {
        public RetryDecision ShouldRetry(Exception exception, int attemptNumber) => strategy(exception, attemptNumber);
    }
}
