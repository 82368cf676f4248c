using System;
using System.Globalization;
using System.Text;

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

    /// <summary>The key as an opaque page marker (URL-safe base64 of the ticks and the ARN).</summary>
    public string ToMarker()
    {
        var text = StartTicks.ToString(CultureInfo.InvariantCulture) + " " + Arn;
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a marker written by <see cref="ToMarker"/>; false for anything else.</summary>
    public static bool TryParseMarker(string marker, out ExecutionListKey key)
    {
        key = default;
        if (marker.Length is 0 or > 1024)
        {
            return false;
        }

        var base64 = new StringBuilder(marker.Length + 3).Append(marker).Replace('-', '+').Replace('_', '/');
        base64.Append('=', (4 - base64.Length % 4) % 4);
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.ToString(), bytes, out var written))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1
            || !long.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }

        key = new ExecutionListKey(ticks, text[(space + 1)..]);
        return true;
    }
}
