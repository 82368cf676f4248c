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
        var builder = new StringBuilder(value.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>A timestamp as a query value: ISO-8601 UTC, milliseconds only when not zero.</summary>
    public static string Timestamp(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.Millisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
