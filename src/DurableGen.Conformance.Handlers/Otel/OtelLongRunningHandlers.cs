using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

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
