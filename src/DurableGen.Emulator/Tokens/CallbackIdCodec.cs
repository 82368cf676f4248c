using System;
using System.IO;
using System.Text.Json;

namespace DurableGen.Emulator.Tokens;

/// <summary>A decoded callback id: execution ARN, operation id and nonce.</summary>
internal readonly record struct CallbackIdData(string Arn, string OperationId);

/// <summary>
/// Encodes callback ids as standard base64 of <c>{"arn":…,"op":…,"n":…}</c> (protocol §7.2). The ARN inside the id is
/// how the engine finds the execution, so stores need no callback index.
/// </summary>
internal static class CallbackIdCodec
{
    public static string Encode(string arn, string operationId, string nonce)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("arn", arn);
            writer.WriteString("op", operationId);
            writer.WriteString("n", nonce);
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    public static bool TryDecode(string? callbackId, out CallbackIdData data)
    {
        data = default;
        if (!Base64Json.TryParse(callbackId, out var root))
        {
            return false;
        }

        using (root)
        {
            var element = root.RootElement;
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("arn", out var arn) || arn.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            data = new CallbackIdData(arn.GetString()!, op.GetString()!);
            return true;
        }
    }
}
