using System;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableGen.Protocol;

/// <summary>
/// The two JSON channels of the protocol. They share every type but not the timestamp encoding: the invocation
/// envelope carries epoch milliseconds (and tolerates ISO-8601 text), the REST bodies carry epoch seconds with a
/// fraction.
/// </summary>
public static class ProtocolJson
{
    /// <summary>The invocation envelope channel (service ↔ function).</summary>
    public static ProtocolJsonContext Envelope { get; } = Create(new EpochMillisecondsConverter());

    /// <summary>The REST channel (CheckpointDurableExecution, GetDurableExecutionState, history, …).</summary>
    public static ProtocolJsonContext Rest { get; } = Create(new EpochSecondsConverter());

    private static ProtocolJsonContext Create(JsonConverter<DateTimeOffset> timestamps)
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(timestamps);
        return new ProtocolJsonContext(options);
    }

    private static DateTimeOffset ReadIsoOrThrow(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        throw new JsonException("Expected a timestamp as an epoch number or ISO-8601 text.");
    }

    private sealed class EpochMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)reader.GetDouble())
                : ReadIsoOrThrow(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
    }

    private sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDecimal() * 1000m))
                : ReadIsoOrThrow(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000m);
    }
}
