using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace DurableGen.Emulator.Tokens;

/// <summary>A decoded checkpoint token: execution ARN, invocation number and per-execution sequence number.</summary>
internal readonly record struct CheckpointTokenData(string Arn, int Invocation, long Sequence);

/// <summary>
/// Encodes checkpoint tokens as standard base64 of <c>{"arn":…,"inv":"…","seq":…}</c> (protocol §4.2).
/// </summary>
internal static class CheckpointTokenCodec
{
    private static readonly JsonEncodedText ArnName = JsonEncodedText.Encode("arn");
    private static readonly JsonEncodedText InvocationName = JsonEncodedText.Encode("inv");
    private static readonly JsonEncodedText SequenceName = JsonEncodedText.Encode("seq");

    // One JSON buffer and writer per thread, reused: a token is encoded for every checkpoint the service answers, and a
    // writer over a fresh stream allocated several kilobytes each time (8 % of what a four-sandbox run allocated,
    // stop 29), for a string of about 250 characters.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Encode(string arn, int invocation, long sequence)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        Span<char> digits = stackalloc char[11];
        invocation.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        writer.WriteString(ArnName, arn);
        writer.WriteString(InvocationName, digits[..length]);
        writer.WriteNumber(SequenceName, sequence);
        writer.WriteEndObject();
        writer.Flush();
        return Convert.ToBase64String(buffer.WrittenSpan);
    }

    public static bool TryDecode(string? token, out CheckpointTokenData data)
    {
        data = default;
        if (!Base64Json.TryParse(token, out var root))
        {
            return false;
        }

        using (root)
        {
            var element = root.RootElement;
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("arn", out var arn) || arn.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("inv", out var inv) || inv.ValueKind != JsonValueKind.String
                || !int.TryParse(inv.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var invocation)
                || !element.TryGetProperty("seq", out var seq) || !seq.TryGetInt64(out var sequence))
            {
                return false;
            }

            data = new CheckpointTokenData(arn.GetString()!, invocation, sequence);
            return true;
        }
    }
}
