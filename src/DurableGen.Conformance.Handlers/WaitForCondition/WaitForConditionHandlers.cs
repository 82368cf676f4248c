using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace DurableGen.Conformance.Handlers.WaitForCondition;

/// <summary>Wait strategies the wait-for-condition handlers share, written as a user would.</summary>
internal static class Strategies
{
    /// <summary>Stop once the counter reached <paramref name="threshold"/>, otherwise poll again after one second.</summary>
    public static IWaitStrategy<int> UntilAtLeast(int threshold) =>
        WaitStrategy.FromDelegate<int>((state, _) =>
            state >= threshold ? WaitDecision.Stop() : WaitDecision.ContinueAfter(TimeSpan.FromSeconds(1)));

    /// <summary>Adds one to the counter.</summary>
    public static Task<int> Increment(int state, IConditionCheckContext context, System.Threading.CancellationToken token) =>
        Task.FromResult(state + 1);
}

/// <summary>6-1: a counter from 0 polled until it reaches the input threshold.</summary>
[Conformance("6-1")]
public sealed class WaitForConditionBasic : IConformanceCase<int, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(int input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync(Strategies.Increment,
            new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = Strategies.UntilAtLeast(input) });
}

/// <summary>6-2: the initial state 5 already satisfies the condition; the first poll stops without suspending.</summary>
[Conformance("6-2")]
public sealed class WaitForConditionImmediate : IConformanceCase<int, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(int input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync((state, _, _) => Task.FromResult(state),
            new WaitForConditionConfig<int> { InitialState = 5, WaitStrategy = Strategies.UntilAtLeast(input) });
}

/// <summary>6-3: a wait-for-condition named <c>poll-status</c>.</summary>
[Conformance("6-3")]
public sealed class WaitForConditionNamed : IConformanceCase<int, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(int input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync(Strategies.Increment,
            new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = Strategies.UntilAtLeast(input) }, "poll-status");
}

/// <summary>6-4: the initial state 5 seeds the first poll and each state feeds the next, up to the input threshold.</summary>
[Conformance("6-4")]
public sealed class WaitForConditionInitialState : IConformanceCase<int, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(int input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync(Strategies.Increment,
            new WaitForConditionConfig<int> { InitialState = 5, WaitStrategy = Strategies.UntilAtLeast(input) });
}

/// <summary>6-5: the built-in fixed-delay strategy (2 s, no jitter) until the input threshold.</summary>
[Conformance("6-5")]
public sealed class WaitForConditionFixedDelay : IConformanceCase<int, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(int input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync(Strategies.Increment,
            new WaitForConditionConfig<int>
            {
                InitialState = 0,
                WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(2), isDone: state => state >= input),
            });
}

/// <summary>6-7: the check throws on its first poll; the operation fails and so does the execution.</summary>
[Conformance("6-7")]
public sealed class WaitForConditionCheckThrows : IConformanceCase<JsonNode?, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync<int>((_, _, _) => throw new InvalidOperationException("Condition check failed"),
            new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = Strategies.UntilAtLeast(1) });
}

/// <summary>6-8: the check throws on its first poll; the handler catches the failure and returns <c>recovered</c>.</summary>
[Conformance("6-8")]
public sealed class WaitForConditionCheckThrowsCaught : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        try
        {
            await context.WaitForConditionAsync<int>((_, _, _) => throw new InvalidOperationException("Condition check failed"),
                new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = Strategies.UntilAtLeast(1) });
            return "unexpected";
        }
        catch (StepException)
        {
            return "recovered";
        }
    }
}

/// <summary>6-10: the check returns null and the strategy stops at once; the execution returns null.</summary>
[Conformance("6-10")]
public sealed class WaitForConditionNullState : IConformanceCase<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync<JsonNode?>((_, _, _) => Task.FromResult<JsonNode?>(null),
            new WaitForConditionConfig<JsonNode?>
            {
                InitialState = null,
                WaitStrategy = WaitStrategy.FromDelegate<JsonNode?>((state, _) =>
                    state is null ? WaitDecision.Stop() : WaitDecision.ContinueAfter(TimeSpan.FromSeconds(1))),
            });
}

/// <summary>6-12: a wait-for-condition up to the input threshold, then a step that multiplies its result by 10.</summary>
[Conformance("6-12")]
public sealed class WaitForConditionThenStep : IConformanceCase<int, int>
{
    /// <inheritdoc />
    public async Task<int> RunAsync(int input, IDurableContext context, IConformanceEnv env)
    {
        var reached = await context.WaitForConditionAsync(Strategies.Increment,
            new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = Strategies.UntilAtLeast(input) });
        return await context.StepAsync((_, _) => Task.FromResult(reached * 10));
    }
}

/// <summary>6-13: two wait-for-conditions one after the other (0 → 2, then 2 → 4).</summary>
[Conformance("6-13")]
public sealed class TwoSequentialWaitForConditions : IConformanceCase<JsonNode?, int>
{
    /// <inheritdoc />
    public async Task<int> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var first = await context.WaitForConditionAsync(Strategies.Increment,
            new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = Strategies.UntilAtLeast(2) });
        return await context.WaitForConditionAsync(Strategies.Increment,
            new WaitForConditionConfig<int> { InitialState = first, WaitStrategy = Strategies.UntilAtLeast(4) });
    }
}
