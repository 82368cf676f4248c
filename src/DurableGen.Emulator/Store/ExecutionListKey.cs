using System;
using System.Buffers;
using System.Text.Json;
using DurableGen.Emulator.Tokens;

namespace DurableGen.Emulator.Store;

/// <summary>An execution's place in its function's list: start time, then ARN (which makes the order total). A page of
/// <c>ListDurableExecutionsByFunction</c> ends at a key, and its marker carries that key, so the next page starts right
/// after it however many executions started in between (an offset would shift with every new one, and page two of a
/// newest-first list would repeat the end of page one).</summary>
/// <param name="StartTicks">The start time, in UTC ticks.</param>
/// <param name="Arn">The execution ARN.</param>
internal readonly record struct ExecutionListKey(long StartTicks, string Arn) : IComparable<ExecutionListKey>
{
    /// <summary>The key of an index entry.</summary>
    public static ExecutionListKey Of(ExecutionIndexEntry entry) =>
        new(entry.StartTimestamp.UtcTicks, entry.DurableExecutionArn);

    /// <inheritdoc />
    public int CompareTo(ExecutionListKey other)
    {
        var byStart = StartTicks.CompareTo(other.StartTicks);
        return byStart != 0 ? byStart : string.CompareOrdinal(Arn, other.Arn);
    }

    /// <summary>The key as an opaque page marker: standard base64 of <c>{"start":ticks,"arn":…}</c>, as the service's
    /// tokens are (protocol §2: markers are base64).</summary>
    public string ToMarker()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("start", StartTicks);
            writer.WriteString("arn", Arn);
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.WrittenSpan);
    }

    /// <summary>Reads a marker written by <see cref="ToMarker"/>; false for anything else.</summary>
    public static bool TryParseMarker(string marker, out ExecutionListKey key)
    {
        key = default;
        if (!Base64Json.TryParse(marker, out var document))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("start", out var start) || !start.TryGetInt64(out var ticks)
                || !root.TryGetProperty("arn", out var arn) || arn.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            key = new ExecutionListKey(ticks, arn.GetString()!);
            return true;
        }
    }
}
