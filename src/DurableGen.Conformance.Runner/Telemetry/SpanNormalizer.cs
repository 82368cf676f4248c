using System;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Validation;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// The normalization rules of otel.md §4.1, so ids, statuses, kinds and times compare as the Python validator compares
/// them whatever the exporter produced.
/// </summary>
public static class SpanNormalizer
{
    /// <summary>Width of a trace id in hex characters.</summary>
    public const int TraceIdWidth = 32;

    /// <summary>Width of a span id in hex characters.</summary>
    public const int SpanIdWidth = 16;

    private static readonly string[] Kinds = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

    /// <summary>
    /// An id as lower-case hex of <paramref name="width"/> characters; null for null or empty text. Strings are trimmed
    /// and lower-cased, <c>0x</c> is dropped, an X-Ray trace id (<c>1-xxxxxxxx-…</c>) loses its dashes and version,
    /// exact-width hex is kept, base64 of width/2 bytes is decoded, a decimal number is converted, anything else loses
    /// its dashes and is left-padded / cut to the last <paramref name="width"/> characters.
    /// </summary>
    public static string? NormalizeId(string? value, int width)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (lower.StartsWith("0x", StringComparison.Ordinal))
        {
            lower = lower[2..];
        }

        if (width == TraceIdWidth && lower.StartsWith("1-", StringComparison.Ordinal) && lower.Count(c => c == '-') >= 2)
        {
            lower = lower.Replace("-", "", StringComparison.Ordinal)[1..];
        }

        if (lower.Length == width && lower.All(Uri.IsHexDigit))
        {
            return lower;
        }

        var buffer = new byte[width / 2];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written == width / 2)
        {
            return Convert.ToHexStringLower(buffer);
        }

        if (lower.All(char.IsAsciiDigit) && BigInteger.TryParse(lower, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return FromInteger(number, width);
        }

        var stripped = lower.Replace("-", "", StringComparison.Ordinal).PadLeft(width, '0');
        return stripped[^width..];
    }

    /// <summary>An integer id as zero-padded hex, the last <paramref name="width"/> characters.</summary>
    public static string FromInteger(BigInteger value, int width)
    {
        var hex = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(width, '0');
        return hex[^width..];
    }

    /// <summary><c>1</c>, <c>STATUS_CODE_OK</c>, <c>OK</c> → OK; <c>2</c>, <c>STATUS_CODE_ERROR</c>, <c>ERROR</c>,
    /// <c>FAILURE</c>, <c>FAILED</c> → ERROR; anything else (missing too) → UNSET.</summary>
    public static string NormalizeStatus(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "1" or "STATUS_CODE_OK" or "OK" => "OK",
        "2" or "STATUS_CODE_ERROR" or "ERROR" or "FAILURE" or "FAILED" => "ERROR",
        _ => "UNSET",
    };

    /// <summary>Numbers 0–5 or the names with or without <c>SPAN_KIND_</c> → the six kind names; unknown → UNSPECIFIED.</summary>
    public static string NormalizeKind(string? value)
    {
        var text = value?.Trim().ToUpperInvariant() ?? "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number is >= 0 and <= 5 ? Kinds[number] : "UNSPECIFIED";
        }

        if (text.StartsWith("SPAN_KIND_", StringComparison.Ordinal))
        {
            text = text["SPAN_KIND_".Length..];
        }

        return Kinds.Contains(text) ? text : "UNSPECIFIED";
    }

    /// <summary>
    /// An expected <c>status</c> in a selector or expectation, normalized as the actual statuses are: plain strings
    /// are normalized, <c>*</c> and <c>${/regex/}</c> stay, <c>$any_of</c> alternatives are normalized one by one.
    /// </summary>
    public static JsonNode? NormalizeExpectedStatus(JsonNode? expected)
    {
        if (Py.AsString(expected) is { } text)
        {
            return text == "*" || TelemetryMatcher.RegexPattern(expected) is not null
                ? expected!.DeepClone()
                : JsonValue.Create(NormalizeStatus(text));
        }

        if (expected is JsonObject { Count: 1 } any && any["$any_of"] is JsonArray alternatives)
        {
            var normalized = new JsonArray();
            foreach (var alternative in alternatives)
            {
                normalized.Add(NormalizeExpectedStatus(alternative));
            }

            return new JsonObject { ["$any_of"] = normalized };
        }

        return Py.Kind(expected) == JsonValueKind.Number ? JsonValue.Create(NormalizeStatus(Py.Str(expected))) : expected?.DeepClone();
    }

    /// <summary>A time at microsecond resolution, rounded half to even as Python's float conversion rounds it.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var ticks = utc.Ticks;
        var whole = ticks / 10;
        var rest = ticks % 10;
        if (rest > 5 || (rest == 5 && whole % 2 == 1))
        {
            whole++;
        }

        return new DateTimeOffset(whole * 10, TimeSpan.Zero);
    }
}
