using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

// The OpenTelemetry scenarios wait for callbacks without a timeout, as AWS's scenario handlers do (otel.md §5): the
// runner completes them, so DG2021's advice does not apply here.
#pragma warning disable DG2021

namespace DurableGen.Conformance.Handlers.Otel;

/// <summary>otel-long-running-1 (<c>long-wait</c>): waits <c>delay_seconds</c>, then runs a step.</summary>
[Conformance("otel-long-running-1")]
public sealed class OtelLongWait : OtelCase, IConformanceCase<JsonObject, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonObject input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(LongDelay.Of(input), "otel-long-wait");
        return await context.StepAsync((_, _) => Task.FromResult("resumed"), "otel-after-long-wait");
    }
}

/// <summary>otel-long-running-2 (<c>long-retry</c>): the step fails its first attempt and is retried once after
/// <c>delay_seconds</c>.</summary>
[Conformance("otel-long-running-2")]
public sealed class OtelLongRetry : OtelCase, IConformanceCase<JsonObject, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonObject input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => env.InvocationNumber == 1
                ? throw new OtelScenarioError("first attempt fails")
                : Task.FromResult("recovered"),
            "otel-long-retry",
            new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 2, initialDelay: LongDelay.Of(input),
                    maxDelay: LongDelay.Of(input), backoffRate: 1.0, jitter: JitterStrategy.None),
            });
}

/// <summary>otel-long-running-3 (<c>long-callback</c>): waits for a callback the runner completes once
/// <c>delay_seconds</c> have passed (otel.md §4.7); the submitter does nothing.</summary>
[Conformance("otel-long-running-3")]
public sealed class OtelLongCallback : OtelCase, IConformanceCase<JsonObject, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonObject input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "otel-long-callback");
}

/// <summary>otel-long-running-4 (<c>long-chained-invoke</c>): invokes a target that waits <c>delay_seconds</c> and
/// returns its input, so the caller and the target each suspend and resume.</summary>
[Conformance("otel-long-running-4")]
public sealed class OtelLongChainedInvoke : OtelCase, IConformanceCase<JsonObject, JsonObject>
{
    /// <inheritdoc />
    public Task<JsonObject> RunAsync(JsonObject input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<JsonObject, JsonObject>(env.Target(OtelLongWaitTarget.Name), input, "otel-long-invoke");
}

/// <summary>The long-running delay: the runner binds <c>LONG_DELAY_SECONDS</c> as text, so <c>delay_seconds</c> arrives
/// as a JSON string (a number is accepted too).</summary>
internal static class LongDelay
{
    public static TimeSpan Of(JsonObject input)
    {
        var node = input["delay_seconds"] ?? throw new ArgumentException("The long-running input needs delay_seconds.", nameof(input));
        var text = node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
        return TimeSpan.FromSeconds(int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
