using System;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace DurableGen.Conformance.Handlers.Wait;

/// <summary>2-2: a 2 s wait named <c>custom_wait_name</c>.</summary>
[Conformance("2-2")]
public sealed class WaitWithName : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(2), "custom_wait_name");
        return "waited";
    }
}

/// <summary>2-3: two 2 s waits <c>wait-1</c> and <c>wait-2</c>; returns <c>{completedWaits: 2}</c>.</summary>
[Conformance("2-3")]
public sealed class MultipleSequentialWaits : IConformanceCase<JsonNode?, MultipleSequentialWaits.Summary>
{
    /// <summary>The result.</summary>
    public sealed record Summary([property: JsonPropertyName("completedWaits")] int CompletedWaits);

    /// <inheritdoc />
    public async Task<Summary> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(2), "wait-1");
        await context.WaitAsync(TimeSpan.FromSeconds(2), "wait-2");
        return new Summary(2);
    }
}

/// <summary>2-4: a one-minute wait (Duration 60).</summary>
[Conformance("2-4")]
public sealed class WaitInMinutes : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromMinutes(1));
        return "waited a minute";
    }
}

/// <summary>2-5: a one-hour wait (Duration 3600).</summary>
[Conformance("2-5")]
public sealed class WaitInHours : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromHours(1));
        return "waited an hour";
    }
}
