using System;
using System.Collections.Concurrent;
using System.Threading;

namespace DurableGen.Integration.Tests.Serializers;

/// <summary>
/// A per-operation serializer that writes <c>&lt;prefix&gt;value</c> (raw text, not JSON) and refuses to read anything
/// else, recording every call with its context so tests can check which operation it ran for.
/// </summary>
internal sealed class PrefixSerializer(string prefix) : ICheckpointSerializer<string>
{
    private int _serialized;
    private int _deserialized;

    public int Serialized => Volatile.Read(ref _serialized);

    public int Deserialized => Volatile.Read(ref _deserialized);

    public ConcurrentQueue<SerializationContext> Contexts { get; } = new();

    public string? Serialize(string value, SerializationContext context)
    {
        Interlocked.Increment(ref _serialized);
        Contexts.Enqueue(context);
        return prefix + value;
    }

    public string Deserialize(string? data, SerializationContext context)
    {
        Interlocked.Increment(ref _deserialized);
        Contexts.Enqueue(context);
        if (data is null || !data.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"'{data}' does not start with '{prefix}'.");
        }

        // Reading marks the value, so a test can tell a round-tripped value from the live object.
        return data[prefix.Length..] + "'";
    }
}

/// <summary>Integers as Roman-ish tally text ("n=5"), to prove the registered JSON serializer was bypassed.</summary>
internal sealed class TallySerializer : ICheckpointSerializer<int>
{
    private int _deserialized;

    public int Deserialized => Volatile.Read(ref _deserialized);

    public string? Serialize(int value, SerializationContext context) => "n=" + value;

    public int Deserialize(string? data, SerializationContext context)
    {
        Interlocked.Increment(ref _deserialized);
        return data is not null && data.StartsWith("n=", StringComparison.Ordinal)
            ? int.Parse(data[2..], System.Globalization.CultureInfo.InvariantCulture)
            : throw new FormatException($"Not a tally: '{data}'.");
    }
}
