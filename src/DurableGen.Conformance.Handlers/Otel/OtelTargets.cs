using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace DurableGen.Conformance.Handlers.Otel;

/// <summary>The chained-invoke target of otel-*-11: returns its input. It registers the tracing plugin in the caller's
/// view (the runner tells every function of the run the same view), so its execution exports its own Workflow.</summary>
[ConformanceTarget(Name)]
public sealed class OtelEchoTarget : OtelCase, IConformanceCase<JsonNode?, JsonNode?>
{
    /// <summary>The target's registered name.</summary>
    public const string Name = "otel-echo";

    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) => Task.FromResult(input);
}

/// <summary>The chained-invoke target of otel-*-18: always throws, with the tracing plugin registered.</summary>
[ConformanceTarget(Name)]
public sealed class OtelErrorTarget : OtelCase, IConformanceCase<JsonNode?, JsonNode?>
{
    /// <summary>The target's registered name.</summary>
    public const string Name = "otel-error";

    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        throw new OtelScenarioError("chained invoke target fails");
}

/// <summary>The chained-invoke target of otel-long-running-4: waits <c>delay_seconds</c> (a durable wait, so its
/// execution suspends and resumes in a second invocation), then returns its input.</summary>
[ConformanceTarget(Name)]
public sealed class OtelLongWaitTarget : OtelCase, IConformanceCase<JsonObject, JsonObject>
{
    /// <summary>The target's registered name.</summary>
    public const string Name = "otel-long-wait";

    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonObject input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(LongDelay.Of(input), "otel-long-invoke-target-wait");
        return input;
    }
}
