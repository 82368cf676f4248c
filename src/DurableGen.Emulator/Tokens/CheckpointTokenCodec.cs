using System;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace DurableGen.Emulator.Tokens;

/// <summary>A decoded checkpoint token: execution ARN, invocation number and per-execution sequence number.</summary>
internal readonly record struct CheckpointTokenData(string Arn, int Invocation, long Sequence);

/// <summary>
/// Encodes checkpoint tokens as standard base64 of <c>{"arn":…,"inv":"…","seq":…}</c> (protocol §4.2).
/// </summary>
internal static class CheckpointTokenCodec
{
    public static string Encode(string arn, int invocation, long sequence)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("arn", arn);
            writer.WriteString("inv", invocation.ToString(CultureInfo.InvariantCulture));
            writer.WriteNumber("seq", sequence);
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.ToArray());
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
