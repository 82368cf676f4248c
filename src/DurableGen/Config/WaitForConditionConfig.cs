using System;

namespace DurableGen;

/// <summary>How <c>WaitForConditionAsync</c> polls: the state it starts from and when it polls again.</summary>
/// <typeparam name="TState">The polled state.</typeparam>
public sealed class WaitForConditionConfig<TState>
{
    /// <summary>The state of the first poll.</summary>
    public required TState InitialState { get; init; }

    /// <summary>Decides after each poll whether to stop or poll again after a delay.</summary>
    public required IWaitStrategy<TState> WaitStrategy { get; init; }

    /// <summary>Serializes the state between polls instead of the registered serializer.</summary>
    public ICheckpointSerializer<TState>? Serializer { get; init; }
}

/// <summary>What a condition check sees.</summary>
public interface IConditionCheckContext
{
    /// <summary>A replay-aware logger.</summary>
    Microsoft.Extensions.Logging.ILogger Logger { get; }

    /// <summary>The 1-based number of this poll.</summary>
    int AttemptNumber { get; }
}

/// <summary>Decides after each poll of <c>WaitForConditionAsync</c> whether to stop or poll again.</summary>
/// <typeparam name="TState">The polled state.</typeparam>
public interface IWaitStrategy<TState>
{
    /// <summary>Decides for <paramref name="state"/>, the result of poll <paramref name="attemptNumber"/>.</summary>
    /// <exception cref="WaitForConditionException">The strategy gives up.</exception>
    WaitDecision Decide(TState state, int attemptNumber);
}

/// <summary>The answer of an <see cref="IWaitStrategy{TState}"/>.</summary>
/// <param name="ShouldContinue">Whether to poll again.</param>
/// <param name="Delay">The delay before the next poll (whole seconds, at least one).</param>
public readonly record struct WaitDecision(bool ShouldContinue, TimeSpan Delay)
{
    /// <summary>The condition is met: stop polling.</summary>
    public static WaitDecision Stop() => new(false, TimeSpan.Zero);

    /// <summary>Poll again after <paramref name="delay"/>.</summary>
    public static WaitDecision ContinueAfter(TimeSpan delay) => new(true, delay);
}

/// <summary>Ready-made wait strategies. Each checks <c>isDone</c> first, then gives up after <c>maxAttempts</c> polls.</summary>
public static class WaitStrategy
{
    /// <summary>Exponential backoff between polls (5 s initial, ×1.5, at most 300 s, full jitter by default).</summary>
    public static IWaitStrategy<TState> Exponential<TState>(int maxAttempts = 60, TimeSpan? initialDelay = null,
        TimeSpan? maxDelay = null, double backoffRate = 1.5, JitterStrategy jitter = JitterStrategy.Full,
        Func<TState, bool>? isDone = null)
    {
        var initial = (initialDelay ?? TimeSpan.FromSeconds(5)).TotalSeconds;
        var max = (maxDelay ?? TimeSpan.FromSeconds(300)).TotalSeconds;
        return new Strategy<TState>(maxAttempts, isDone, attempt =>
            RetryStrategy.Jitter(Math.Min(initial * Math.Pow(backoffRate, attempt - 1), max), jitter));
    }

    /// <summary>A delay growing by <paramref name="increment"/> per poll (5 s + 5 s by default), capped when a maximum is given.</summary>
    public static IWaitStrategy<TState> Linear<TState>(int maxAttempts = 60, TimeSpan? initialDelay = null,
        TimeSpan? increment = null, TimeSpan? maxDelay = null, Func<TState, bool>? isDone = null)
    {
        var initial = (initialDelay ?? TimeSpan.FromSeconds(5)).TotalSeconds;
        var step = (increment ?? TimeSpan.FromSeconds(5)).TotalSeconds;
        var max = maxDelay?.TotalSeconds ?? double.MaxValue;
        return new Strategy<TState>(maxAttempts, isDone, attempt => Math.Min(initial + step * (attempt - 1), max));
    }

    /// <summary>The same delay between every poll.</summary>
    public static IWaitStrategy<TState> Fixed<TState>(TimeSpan delay, int maxAttempts = 60, Func<TState, bool>? isDone = null) =>
        new Strategy<TState>(maxAttempts, isDone, _ => delay.TotalSeconds);

    /// <summary>A strategy written as a delegate.</summary>
    public static IWaitStrategy<TState> FromDelegate<TState>(Func<TState, int, WaitDecision> strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new DelegateStrategy<TState>(strategy);
    }

    private sealed class Strategy<TState>(int maxAttempts, Func<TState, bool>? isDone, Func<int, double> delaySeconds)
        : IWaitStrategy<TState>
    {
        public WaitDecision Decide(TState state, int attemptNumber)
        {
            if (isDone?.Invoke(state) == true)
            {
                return WaitDecision.Stop();
            }

            if (attemptNumber >= maxAttempts)
            {
                throw new WaitForConditionException($"The condition was not met after {attemptNumber} attempts.")
                {
                    AttemptsExhausted = attemptNumber,
                    LastState = state,
                };
            }

            return WaitDecision.ContinueAfter(TimeSpan.FromSeconds(RetryStrategy.ToDelaySeconds(
                TimeSpan.FromSeconds(delaySeconds(attemptNumber)))));
        }
    }

    private sealed class DelegateStrategy<TState>(Func<TState, int, WaitDecision> strategy) : IWaitStrategy<TState>
    {
        public WaitDecision Decide(TState state, int attemptNumber) => strategy(state, attemptNumber);
    }
}
