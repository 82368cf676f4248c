using System;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace DurableGen.Conformance.Handlers.Child;

/// <summary>3-1: a child context with one step echoing the input.</summary>
[Conformance("3-1")]
public sealed class ChildContextBasic : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((child, _) => child.StepAsync((_, _) => Task.FromResult(input)));
}

/// <summary>3-2: a child context named by <c>input.name</c> whose step returns <c>input.value</c>.</summary>
[Conformance("3-2")]
public sealed class ChildContextWithName : IConformanceCase<ChildContextWithName.Input, string>
{
    /// <summary>The input.</summary>
    public sealed record Input([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("value")] string Value);

    /// <inheritdoc />
    public Task<string> RunAsync(Input input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((child, _) => child.StepAsync((_, _) => Task.FromResult(input.Value)), input.Name);
}

/// <summary>3-3: a named child context with two chained steps.</summary>
[Conformance("3-3")]
public sealed class ChildContextSequentialSteps : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync(async (child, _) =>
        {
            var first = await child.StepAsync((_, _) => Task.FromResult(input), "first");
            return await child.StepAsync((_, _) => Task.FromResult(first), "second");
        }, "two-steps");
}

/// <summary>3-4: a named child context whose no-retry step fails; the execution fails.</summary>
[Conformance("3-4")]
public sealed class ChildContextStepFails : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((child, _) => child.StepAsync<string>(
                (_, _) => throw new InvalidOperationException("inner step fails"),
                config: new StepConfig { RetryStrategy = RetryStrategy.None }),
            "failing-child");
}

/// <summary>3-6: an outer child context (step + inner child context with a step).</summary>
[Conformance("3-6")]
public sealed class NestedChildContexts : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync(async (outer, _) =>
        {
            await outer.StepAsync((_, _) => Task.FromResult(input), "outer-step");
            return await outer.RunInChildContextAsync(
                (inner, _) => inner.StepAsync((_, _) => Task.FromResult(input), "inner-step"), "inner");
        }, "outer");
}

/// <summary>3-9: a child context (one step), then a wait; the replay uses the cached child result.</summary>
[Conformance("3-9")]
public sealed class ChildContextReplayCached : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.RunInChildContextAsync((child, _) => child.StepAsync((_, _) => Task.FromResult(input)));
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return result;
    }
}

/// <summary>3-10: a named child context containing a step, then a wait.</summary>
[Conformance("3-10")]
public sealed class ChildContextStepAndWait : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync(async (child, _) =>
        {
            var value = await child.StepAsync((_, _) => Task.FromResult(input));
            await child.WaitAsync(TimeSpan.FromSeconds(2));
            return value;
        }, "step-and-wait");
}

/// <summary>3-11: a named child context logs the input (replay logging on), runs a small step and builds a result over
/// 256 KB (ReplayChildren mode); a wait follows, so the replay re-runs the child body and logs again.</summary>
[Conformance("3-11")]
public sealed class ChildContextLargeResult : IConformanceCase<string, int>
{
    /// <inheritdoc />
    public async Task<int> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var large = await context.RunInChildContextAsync(async (child, _) =>
        {
            child.ConfigureLogger(new LoggerConfig { ModeAware = false });
            child.Logger.LogInformation("child context input {Input}", input);
            var seed = await child.StepAsync((_, _) => Task.FromResult("x"));
            return new StringBuilder().Insert(0, seed, 300 * 1024).ToString();
        }, "large-result");
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return large.Length;
    }
}

/// <summary>3-12: the step inside a child context kills the process after its START is recorded; the next invocation
/// re-runs the step and records its success without a new START.</summary>
[Conformance("3-12")]
public sealed class ChildContextInterrupted : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((child, _) => child.StepAsync(async (step, _) =>
        {
            if (env.InvocationNumber == 1)
            {
                await env.CrashProcessAsync(afterOperationRecorded: step.OperationId);
            }

            return input;
        }));
}

/// <summary>3-13: a named child context containing only a wait, then a step outside it.</summary>
[Conformance("3-13")]
public sealed class ChildContextWaitThenStep : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        await context.RunInChildContextAsync(async (child, _) =>
        {
            await child.WaitAsync(TimeSpan.FromSeconds(1));
            return input;
        }, "wait-only");
        return await context.StepAsync((_, _) => Task.FromResult(input));
    }
}

/// <summary>3-15: a named child context throws without any durable operation; the execution fails.</summary>
[Conformance("3-15")]
public sealed class ChildContextThrowsDirectly : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync<string>((_, _) => throw new InvalidOperationException("child body fails"), "throwing-child");
}

/// <summary>3-16: a named child context returns null directly.</summary>
[Conformance("3-16")]
public sealed class ChildContextReturnsNull : IConformanceCase<JsonNode?, string?>
{
    /// <inheritdoc />
    public Task<string?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((_, _) => Task.FromResult<string?>(null), "null-child");
}

/// <summary>3-17: a named child context only logs (replay logging on) and returns the input; a wait follows. The
/// completed child is not re-run on replay, so the log appears once.</summary>
[Conformance("3-17")]
public sealed class ChildContextLoggerOnly : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.RunInChildContextAsync((child, _) =>
        {
            child.ConfigureLogger(new LoggerConfig { ModeAware = false });
            child.Logger.LogInformation("child context input {Input}", input);
            return Task.FromResult(input);
        }, "logger-only");
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return result;
    }
}

/// <summary>3-18: a named child context (step + wait), then a top-level step and wait.</summary>
[Conformance("3-18")]
public sealed class ChildContextThenStepAndWait : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var inner = await context.RunInChildContextAsync(async (child, _) =>
        {
            var value = await child.StepAsync((_, _) => Task.FromResult(input));
            await child.WaitAsync(TimeSpan.FromSeconds(2));
            return value;
        }, "inner-work");
        var outer = await context.StepAsync((_, _) => Task.FromResult(inner));
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return outer;
    }
}
