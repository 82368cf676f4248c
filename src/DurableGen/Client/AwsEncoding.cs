using System;
using System.Globalization;
using System.Text;

namespace DurableGen.Client;

/// <summary>The restJson1 encodings of path labels and query values (protocol §1.4).</summary>
internal static class AwsEncoding
{
    /// <summary>
    /// Percent-encodes <paramref name="value"/> as one path segment or query value: every UTF-8 byte outside
    /// <c>A–Z a–z 0–9 - _ . ~</c> becomes <c>%XX</c> with upper-case hex (so <c>/</c>, <c>:</c>, <c>$</c>, <c>+</c>,
    /// <c>=</c> are all encoded).
    /// </summary>
    public static string Label(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Every checkpoint encodes its execution's ARN: one string out, nothing else on the heap for the usual sizes
        // (a StringBuilder and a string per escaped byte were 2 % of what a four-sandbox benchmark allocated).
        const int StackLimit = 512;
        var byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = byteCount <= StackLimit ? stackalloc byte[StackLimit] : new byte[byteCount];
        bytes = bytes[..Encoding.UTF8.GetBytes(value, bytes)];
        var length = 0;
        foreach (var b in bytes)
        {
            length += IsUnreserved(b) ? 1 : 3;
        }

        if (length == value.Length)
        {
            return value; // nothing to escape (every byte unreserved ASCII)
        }

        Span<char> chars = length <= StackLimit ? stackalloc char[StackLimit] : new char[length];
        var at = 0;
        foreach (var b in bytes)
        {
            if (IsUnreserved(b))
            {
                chars[at++] = (char)b;
            }
            else
            {
                chars[at++] = '%';
                chars[at++] = UpperHex[b >> 4];
                chars[at++] = UpperHex[b & 0xF];
            }
        }

        return new string(chars[..at]);
    }

    private const string UpperHex = "0123456789ABCDEF";

    private static bool IsUnreserved(byte b) =>
        b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    /// <summary>A timestamp as a query value: ISO-8601 UTC, milliseconds only when not zero.</summary>
    public static string Timestamp(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.Millisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
