using System;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;

namespace DurableGen.Emulator.Tokens;

/// <summary>A decoded callback id: execution ARN and operation id.</summary>
internal readonly record struct CallbackIdData(string Arn, string OperationId);

/// <summary>What a callback id turned out to be.</summary>
internal enum CallbackIdKind
{
    /// <summary>Not an id at all (too short, or not base64): a validation error.</summary>
    Malformed,

    /// <summary>Well-formed, but not one this store issued (or altered): not found.</summary>
    Unknown,

    /// <summary>Opened: <see cref="CallbackIdData"/> says which callback it names.</summary>
    Opened,
}

/// <summary>
/// Callback ids are opaque, as AWS's are: standard base64 of <c>version ‖ nonce ‖ AES-GCM(arn, operation id) ‖ tag</c>
/// under the store's <see cref="Store.IExecutionStore.CallbackKey"/>. A holder learns nothing about the execution from
/// the id and cannot make one up (the tag fails); the engine still finds the execution from the id alone, so stores
/// need no callback index, and the key's living in the store keeps ids valid across a restart.
/// </summary>
internal static class CallbackIdCodec
{
    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] Purpose = "durablegen callback id v1"u8.ToArray();

    public static string Seal(byte[] key, string arn, string operationId, string nonce)
    {
        var plain = Plaintext(arn, operationId, nonce);
        var sealedId = new byte[1 + NonceBytes + plain.Length + TagBytes];
        sealedId[0] = Version;
        var iv = sealedId.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(iv);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(iv, plain, sealedId.AsSpan(1 + NonceBytes, plain.Length), sealedId.AsSpan(1 + NonceBytes + plain.Length), Purpose);
        return Convert.ToBase64String(sealedId);
    }

    public static CallbackIdKind TryOpen(byte[] key, string? callbackId, out CallbackIdData data)
    {
        data = default;
        if (string.IsNullOrEmpty(callbackId) || callbackId.Length > 4096 || !Base64Json.IsBase64Alphabet(callbackId))
        {
            return CallbackIdKind.Malformed;
        }

        var bytes = new byte[callbackId.Length];
        if (!Convert.TryFromBase64String(callbackId, bytes, out var length))
        {
            return CallbackIdKind.Malformed;
        }

        if (length > 1 + NonceBytes + TagBytes && bytes[0] == Version)
        {
            var cipherLength = length - 1 - NonceBytes - TagBytes;
            var plain = new byte[cipherLength];
            try
            {
                using var aes = new AesGcm(key, TagBytes);
                aes.Decrypt(bytes.AsSpan(1, NonceBytes), bytes.AsSpan(1 + NonceBytes, cipherLength),
                    bytes.AsSpan(1 + NonceBytes + cipherLength, TagBytes), plain, Purpose);
                return TryRead(plain, out data) ? CallbackIdKind.Opened : CallbackIdKind.Unknown;
            }
            catch (AuthenticationTagMismatchException)
            {
                return CallbackIdKind.Unknown;
            }
        }

        // Ids issued before ids were sealed were the plain JSON itself; an execution in an older database may still
        // wait on one. The engine accepts it only if it is exactly the id stored on that callback.
        if (TryRead(bytes.AsSpan(0, length), out data))
        {
            return CallbackIdKind.Opened;
        }

        return length > 1 + NonceBytes + TagBytes ? CallbackIdKind.Unknown : CallbackIdKind.Malformed;
    }

    private static byte[] Plaintext(string arn, string operationId, string nonce)
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

        return buffer.ToArray();
    }

    private static bool TryRead(ReadOnlySpan<byte> json, out CallbackIdData data)
    {
        data = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var element = document.RootElement;
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("arn", out var arn) || arn.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            data = new CallbackIdData(arn.GetString()!, op.GetString()!);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
