using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

// The conformance cases specify callbacks without timeouts (AWS's 4-x and 7-x requirements): the cases check what the
// SDK does with exactly that, so DG2021's advice does not apply here.
#pragma warning disable DG2021

namespace DurableGen.Conformance.Handlers.Callback;

/// <summary>What the custom deserializer of 4-15 builds from the callback's JSON text.</summary>
public sealed record ReceivedEvent(string Id, string Message, DateTimeOffset Timestamp);

/// <summary>The output of 4-15: the typed result, with the timestamp as Unix seconds.</summary>
public sealed record ReceivedOutput
{
    /// <summary>The deserialized callback result.</summary>
    [JsonPropertyName("received")]
    public required ReceivedProjection Received { get; init; }
}

/// <summary>The projection of a <see cref="ReceivedEvent"/>.</summary>
public sealed record ReceivedProjection
{
    /// <summary>The id.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The message.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>The timestamp in seconds since the Unix epoch.</summary>
    [JsonPropertyName("timestamp")]
    public required long Timestamp { get; init; }
}

/// <summary>4-15: a callback whose custom deserializer turns the JSON object (with an ISO-8601 date) into a typed
/// result.</summary>
[Conformance("4-15")]
public sealed class CallbackCustomDeserializer : IConformanceCase<string, ReceivedOutput>
{
    /// <inheritdoc />
    public async Task<ReceivedOutput> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<ReceivedEvent>(input,
            new CallbackConfig<ReceivedEvent> { Serializer = new ReceivedEventSerializer() });
        var received = await callback.GetResultAsync();
        return new ReceivedOutput
        {
            Received = new ReceivedProjection
            {
                Id = received.Id, Message = received.Message, Timestamp = received.Timestamp.ToUnixTimeSeconds(),
            },
        };
    }

    private sealed class ReceivedEventSerializer : ICheckpointSerializer<ReceivedEvent>
    {
        public string? Serialize(ReceivedEvent value, SerializationContext context) =>
            new JsonObject
            {
                ["id"] = value.Id,
                ["message"] = value.Message,
                ["timestamp"] = value.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            }.ToJsonString();

        public ReceivedEvent Deserialize(string? data, SerializationContext context)
        {
            var node = JsonNode.Parse(data ?? throw new InvalidOperationException("The callback sent no result."))!;
            return new ReceivedEvent(node["id"]!.GetValue<string>(), node["message"]!.GetValue<string>(),
                DateTimeOffset.Parse(node["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
        }
    }
}

/// <summary>The output of 4-16.</summary>
/// <param name="Count">The deserialized number.</param>
/// <param name="Doubled">Twice the number.</param>
public sealed record CountOutput([property: JsonPropertyName("count")] int Count, [property: JsonPropertyName("doubled")] int Doubled);

/// <summary>4-16: a callback whose custom deserializer turns the payload text into a number.</summary>
[Conformance("4-16")]
public sealed class CallbackNumericDeserializer : IConformanceCase<string, CountOutput>
{
    /// <inheritdoc />
    public async Task<CountOutput> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<int>(input, new CallbackConfig<int> { Serializer = new NumberSerializer() });
        var count = await callback.GetResultAsync();
        return new CountOutput(count, count * 2);
    }

    private sealed class NumberSerializer : ICheckpointSerializer<int>
    {
        public string? Serialize(int value, SerializationContext context) => value.ToString(CultureInfo.InvariantCulture);

        public int Deserialize(string? data, SerializationContext context) =>
            int.Parse((data ?? "0").Trim().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture);
    }
}
