using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace DurableGen.Conformance.Handlers.Invoke;

/// <summary>The input of 5-2: the invoke's name and the payload sent to the echo target.</summary>
public sealed record NamedInvokeInput
{
    /// <summary>The operation name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The payload.</summary>
    [JsonPropertyName("payload")]
    public string Payload { get; init; } = "";
}

/// <summary>5-2: an invoke named from the input, echoing the input's payload.</summary>
[Conformance("5-2")]
public sealed class InvokeWithName : IConformanceCase<NamedInvokeInput, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(NamedInvokeInput input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<string, string>(env.Target("echo"), input.Payload, input.Name);
}

/// <summary>5-3: the echo target returns a nested object unchanged.</summary>
[Conformance("5-3")]
public sealed class InvokeComplexObject : IConformanceCase<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<JsonNode?, JsonNode?>(env.Target("echo"), input);
}

/// <summary>5-5: the target fails and the handler does not catch it; the execution fails.</summary>
[Conformance("5-5")]
public sealed class InvokeTargetFailsUncaught : IConformanceCase<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<JsonNode?, JsonNode?>(env.Target("error"), null);
}

/// <summary>5-6: the target fails; the handler catches the invoke error and returns a fallback.</summary>
[Conformance("5-6")]
public sealed class InvokeTargetFailsCaught : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        try
        {
            await context.InvokeAsync<JsonNode?, JsonNode?>(env.Target("error"), null);
            return "unexpected";
        }
        catch (InvokeFailedException)
        {
            return "fallback";
        }
    }
}

/// <summary>5-7: a payload of about 200 KB (near the Lambda payload limit) goes through the chained invoke.</summary>
[Conformance("5-7")]
public sealed class InvokeLargePayload : IConformanceCase<JsonNode?, int>
{
    /// <inheritdoc />
    public async Task<int> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var payload = new string('x', 200 * 1024);
        var echoed = await context.InvokeAsync<string, string>(env.Target("echo"), payload);
        return echoed.Length;
    }
}

/// <summary>5-9: invoke, then a 1 s wait; the replay after the wait reads the invoke's result from its record.</summary>
[Conformance("5-9")]
public sealed class InvokeThenWait : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.InvokeAsync<string, string>(env.Target("echo"), "cached");
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return result;
    }
}

/// <summary>5-10: a failed invoke is caught, then a 1 s wait; the replay re-throws the recorded error and the handler
/// catches it again.</summary>
[Conformance("5-10")]
public sealed class FailedInvokeThenWait : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        string outcome;
        try
        {
            await context.InvokeAsync<JsonNode?, JsonNode?>(env.Target("error"), null);
            outcome = "unexpected";
        }
        catch (InvokeFailedException ex)
        {
            outcome = "caught: " + ex.Message;
        }

        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return outcome;
    }
}

/// <summary>5-11: a step, then an invoke of the echo target with the step's result.</summary>
[Conformance("5-11")]
public sealed class StepThenInvoke : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var prepared = await context.StepAsync((_, _) => Task.FromResult("prepared"));
        return await context.InvokeAsync<string, string>(env.Target("echo"), prepared);
    }
}

/// <summary>5-12: an invoke, then a step that processes its result.</summary>
[Conformance("5-12")]
public sealed class InvokeThenStep : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var echoed = await context.InvokeAsync<string, string>(env.Target("echo"), "value");
        return await context.StepAsync((_, _) => Task.FromResult("processed: " + echoed));
    }
}

/// <summary>5-13: an invoke inside a child context; the child returns the invoke's result.</summary>
[Conformance("5-13")]
public sealed class InvokeInChildContext : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((child, _) => child.InvokeAsync<string, string>(env.Target("echo"), "from-child"));
}

/// <summary>5-14: two invokes one after the other, each suspending the execution.</summary>
[Conformance("5-14")]
public sealed class TwoSequentialInvokes : IConformanceCase<JsonNode?, string[]>
{
    /// <inheritdoc />
    public async Task<string[]> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var first = await context.InvokeAsync<string, string>(env.Target("echo"), "first");
        var second = await context.InvokeAsync<string, string>(env.Target("echo"), "second");
        return [first, second];
    }
}

/// <summary>The input (and echoed result) of 5-15.</summary>
public sealed record DataPayload
{
    /// <summary>The data.</summary>
    [JsonPropertyName("data")]
    public string Data { get; init; } = "";
}

/// <summary>5-15: a payload serializer that upper-cases the data before it is sent.</summary>
[Conformance("5-15")]
public sealed class InvokeWithPayloadSerializer : IConformanceCase<DataPayload, DataPayload>
{
    /// <inheritdoc />
    public Task<DataPayload> RunAsync(DataPayload input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<DataPayload, DataPayload>(env.Target("echo"), input,
            config: new InvokeConfig<DataPayload, DataPayload> { PayloadSerializer = new UpperCasingPayloadSerializer() });

    private sealed class UpperCasingPayloadSerializer : ICheckpointSerializer<DataPayload>
    {
        public string? Serialize(DataPayload value, SerializationContext context) =>
            new JsonObject { ["data"] = value.Data.ToUpperInvariant() }.ToJsonString();

        public DataPayload Deserialize(string? data, SerializationContext context) =>
            new() { Data = JsonNode.Parse(data ?? "{}")?["data"]?.GetValue<string>() ?? "" };
    }
}

/// <summary>5-16: a result serializer that upper-cases the raw result text (<c>"hello"</c> becomes <c>"HELLO"</c>,
/// quotes included).</summary>
[Conformance("5-16")]
public sealed class InvokeWithResultSerializer : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<string, string>(env.Target("echo"), input,
            config: new InvokeConfig<string, string> { ResultSerializer = new RawUpperCaseSerializer() });

    private sealed class RawUpperCaseSerializer : ICheckpointSerializer<string>
    {
        public string? Serialize(string value, SerializationContext context) => value;

        public string Deserialize(string? data, SerializationContext context) => (data ?? "").ToUpperInvariant();
    }
}
