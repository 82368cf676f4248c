using System;
using System.Text.Json;

namespace DurableGen.Emulator.Tokens;

/// <summary>Parses standard-base64 text that wraps a JSON document (tokens, callback ids).</summary>
internal static class Base64Json
{
    public static bool TryParse(string? text, out JsonDocument document)
    {
        document = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 4096)
        {
            return false;
        }

        if (!IsBase64Alphabet(text))
        {
            return false;
        }

        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(bytes.AsMemory(0, written));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="text"/> matches <c>[A-Za-z0-9+/]+={0,2}</c>.</summary>
    public static bool IsBase64Alphabet(string text)
    {
        var end = text.Length;
        var padding = 0;
        while (end > 0 && text[end - 1] == '=' && padding < 2)
        {
            end--;
            padding++;
        }

        if (end == 0)
        {
            return false;
        }

        for (var i = 0; i < end; i++)
        {
            var c = text[i];
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }
}
