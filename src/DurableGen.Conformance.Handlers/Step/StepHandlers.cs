using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace DurableGen.Conformance.Handlers.Step;

/// <summary>The custom exception type of 1-15 and 1-16.</summary>
public sealed class TransientError : Exception
{
    /// <summary>Creates the error.</summary>
    public TransientError() : base("transient failure") { }

    /// <summary>Creates the error with a message.</summary>
    public TransientError(string message) : base(message) { }

    /// <summary>Creates the error with a message and a cause.</summary>
    public TransientError(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>1-1: one step builds a greeting from the string input.</summary>
[Conformance("1-1")]
public sealed class StepBasic : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"));
}

/// <summary>1-2: one step with the explicit name <c>custom_step_name</c>.</summary>
[Conformance("1-2")]
public sealed class StepWithName : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"), "custom_step_name");
}

/// <summary>1-4: a step returns a nested object built from the input.</summary>
[Conformance("1-4")]
public sealed class StepReturnsComplexObject : IConformanceCase<StepReturnsComplexObject.Person, StepReturnsComplexObject.Response>
{
    /// <summary>The input.</summary>
    public sealed record Person([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("tags")] List<string> Tags);

    /// <summary>The user part of the response.</summary>
    public sealed record User([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("tags")] List<string> Tags);

    /// <summary>The response.</summary>
    public sealed record Response([property: JsonPropertyName("user")] User User, [property: JsonPropertyName("count")] int Count);

    /// <inheritdoc />
    public Task<Response> RunAsync(Person input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult(new Response(new User(input.Name, input.Tags), input.Tags.Count)));
}

/// <summary>1-5: a step returns null; so does the execution.</summary>
[Conformance("1-5")]
public sealed class StepReturnsNull : IConformanceCase<JsonNode?, string?>
{
    /// <inheritdoc />
    public Task<string?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult<string?>(null));
}

/// <summary>1-8: a step, then a 2 s wait; the replay skips the step.</summary>
[Conformance("1-8")]
public sealed class StepThenWait : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var value = await context.StepAsync((_, _) => Task.FromResult("computed"));
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return value;
    }
}

/// <summary>1-9: a step that logs and succeeds, then a 1 s wait; the step body does not run again on replay.</summary>
[Conformance("1-9")]
public sealed class ReplaySkipsSucceededStep : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var value = await context.StepAsync((step, _) =>
        {
            step.Logger.LogInformation("step executed");
            return Task.FromResult("cached_value");
        });
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return value;
    }
}

/// <summary>1-10: a no-retry step fails inside try/catch, then a 1 s wait; the replay re-throws the cached error.</summary>
[Conformance("1-10")]
public sealed class ReplayRethrowsFailedStep : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var outcome = "no error";
        try
        {
            await context.StepAsync<string>((step, _) =>
            {
                step.Logger.LogInformation("step executed");
                throw new InvalidOperationException("permanent failure");
            }, config: new StepConfig { RetryStrategy = RetryStrategy.None });
        }
        catch (StepException ex)
        {
            outcome = "caught: " + ex.Message;
        }

        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return outcome;
    }
}

/// <summary>1-11: fails on attempt 1, succeeds on attempt 2 with a 1 s retry strategy.</summary>
[Conformance("1-11")]
public sealed class StepRetryThenSucceed : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((step, _) => step.AttemptNumber == 1
                ? throw new InvalidOperationException("attempt 1 fails")
                : Task.FromResult("Operation succeeded"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
            });
}

/// <summary>1-12: always fails; 4 attempts 1 s apart; the execution fails.</summary>
[Conformance("1-12")]
public sealed class StepRetryExhaustion : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync<string>((step, _) => throw new InvalidOperationException($"attempt {step.AttemptNumber} fails"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 4, initialDelay: TimeSpan.FromSeconds(1), backoffRate: 1.0,
                    jitter: JitterStrategy.None),
            });
}

/// <summary>1-13: fails twice, succeeds on the 3rd attempt, with no retry configuration (the SDK default: 6 attempts,
/// 5 s, ×2, 60 s cap, full jitter).</summary>
[Conformance("1-13")]
public sealed class StepDefaultRetryStrategy : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((step, _) => step.AttemptNumber < 3
            ? throw new InvalidOperationException($"attempt {step.AttemptNumber} fails")
            : Task.FromResult("succeeded on attempt 3"));
}

/// <summary>1-14: fails twice then succeeds; 2 s initial delay, ×3 backoff, no jitter (delays 2 s and 6 s).</summary>
[Conformance("1-14")]
public sealed class StepCustomRetryConfig : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((step, _) => step.AttemptNumber < 3
                ? throw new InvalidOperationException($"attempt {step.AttemptNumber} fails")
                : Task.FromResult("succeeded on attempt 3"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 5, initialDelay: TimeSpan.FromSeconds(2), backoffRate: 3.0,
                    jitter: JitterStrategy.None),
            });
}

/// <summary>1-15: throws TransientError once; the strategy retries only that type.</summary>
[Conformance("1-15")]
public sealed class StepRetryOnlyTransient : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((step, _) => step.AttemptNumber == 1
                ? throw new TransientError("temporary outage")
                : Task.FromResult("recovered"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None,
                    retryableExceptions: [typeof(TransientError)]),
            });
}

/// <summary>1-16: throws TransientError; the strategy refuses to retry it; the execution fails.</summary>
[Conformance("1-16")]
public sealed class StepNoRetryOnTransient : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync<string>((_, _) => throw new TransientError("temporary outage"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.FromDelegate((error, _) => error is TransientError
                    ? RetryDecision.DoNotRetry()
                    : RetryDecision.RetryAfter(TimeSpan.FromSeconds(1))),
            });
}

/// <summary>1-18: an at-most-once step logs its input and crashes the process on attempt 1; the interrupted attempt
/// is retried and succeeds on attempt 2.</summary>
[Conformance("1-18")]
public sealed class AtMostOnceStepCrashThenRetry : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync(async (step, _) =>
            {
                step.Logger.LogInformation("processing {Input}", input);
                if (step.AttemptNumber == 1)
                {
                    await env.CrashProcessAsync();
                }

                return "succeeded on second attempt";
            },
            config: new StepConfig
            {
                Semantics = StepSemantics.AtMostOncePerRetry,
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
            });
}

/// <summary>1-19: a no-retry step always throws; the execution fails.</summary>
[Conformance("1-19")]
public sealed class StepFailsPermanently : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync<string>((_, _) => throw new InvalidOperationException("step always fails"),
            config: new StepConfig { RetryStrategy = RetryStrategy.None });
}

/// <summary>1-20: a no-retry failing step is caught; a fallback step returns <c>fallback_result</c>.</summary>
[Conformance("1-20")]
public sealed class StepErrorCaughtWithFallback : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        try
        {
            return await context.StepAsync<string>((_, _) => throw new InvalidOperationException("step fails"),
                config: new StepConfig { RetryStrategy = RetryStrategy.None });
        }
        catch (StepException)
        {
            return await context.StepAsync((_, _) => Task.FromResult("fallback_result"));
        }
    }
}
