using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace DurableGen.Conformance.Handlers.Otel;

/// <summary>The error the OpenTelemetry scenarios throw on purpose.</summary>
public sealed class OtelScenarioError(string message) : Exception(message);

/// <summary>otel-*-1 (<c>success</c>): one step that succeeds at once.</summary>
[Conformance("otel-invocation-1", "otel-execution-1")]
public sealed class OtelSuccess : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult("success"), "otel-success");
}

/// <summary>otel-*-2 (<c>wait-resume</c>): a one-second wait suspends the invocation; the next one runs a step.</summary>
[Conformance("otel-invocation-2", "otel-execution-2")]
public sealed class OtelWaitResume : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(1), "otel-wait");
        return await context.StepAsync((_, _) => Task.FromResult("resumed"), "otel-after-resume");
    }
}

/// <summary>otel-*-3 (<c>retry</c>): the step fails its first attempt and is retried once, one second later, in a new
/// invocation.</summary>
[Conformance("otel-invocation-3", "otel-execution-3")]
public sealed class OtelRetry : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => env.InvocationNumber == 1
                ? throw new OtelScenarioError("first attempt fails")
                : Task.FromResult("recovered"),
            "otel-retry",
            new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 2, initialDelay: TimeSpan.FromSeconds(1), backoffRate: 1.0,
                    jitter: JitterStrategy.None),
            });
}

/// <summary>otel-*-4 (<c>terminal-failure</c>): the step throws and is not retried, failing the execution.</summary>
[Conformance("otel-invocation-4", "otel-execution-4")]
public sealed class OtelTerminalFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync<string>((_, _) => throw new OtelScenarioError("terminal failure"), "otel-terminal-failure",
            new StepConfig { RetryStrategy = RetryStrategy.None });
}

/// <summary>otel-*-5 (<c>child-context</c>): a child context running one step.</summary>
[Conformance("otel-invocation-5", "otel-execution-5")]
public sealed class OtelChildContext : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((child, _) => child.StepAsync((_, _) => Task.FromResult("child"), "otel-child-step"),
            "otel-child-context");
}

/// <summary>otel-*-8 (<c>handled-failure</c>): a step fails without retry, the workflow catches it and recovers with a
/// second step.</summary>
[Conformance("otel-invocation-8", "otel-execution-8")]
public sealed class OtelHandledFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        try
        {
            await context.StepAsync<string>((_, _) => throw new OtelScenarioError("handled failure"), "otel-handled-failure",
                new StepConfig { RetryStrategy = RetryStrategy.None });
        }
        catch (StepException)
        {
            // The failure is the scenario: the workflow goes on with the recovery step.
        }

        return await context.StepAsync((_, _) => Task.FromResult("recovered"), "otel-recovery-step");
    }
}

/// <summary>otel-*-12 (<c>child-context-failure</c>): the child context's function throws.</summary>
[Conformance("otel-invocation-12", "otel-execution-12")]
public sealed class OtelChildContextFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync<string>((_, _) => throw new OtelScenarioError("child context fails"), "otel-failed-child-context");
}

/// <summary>otel-*-19 (<c>execution-failure</c>): the handler itself throws.</summary>
[Conformance("otel-invocation-19", "otel-execution-19")]
public sealed class OtelExecutionFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        throw new OtelScenarioError("execution fails");
}
