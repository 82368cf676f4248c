using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace DurableGen.OpenTelemetry;

/// <summary>
/// The deterministic ids (otel.md §2): every invocation of an execution recomputes the same trace id, Workflow span
/// id and operation span ids, so spans exported by different invocations (different processes) meet in one trace.
/// All are hex prefixes of SHA-256 over UTF-8 text.
/// </summary>
internal static class TraceIds
{
    /// <summary>The execution's trace: the X-Ray Root of the trace header when valid, else SHA-256(ARN).</summary>
    public static ActivityTraceId Trace(string executionArn, string? traceHeader) =>
        RootOf(traceHeader) ?? ActivityTraceId.CreateFromString(Hash(executionArn).AsSpan(0, 32));

    /// <summary>The Workflow span: SHA-256("workflow:" + ARN).</summary>
    public static ActivitySpanId Workflow(string executionArn)
    {
        if (string.IsNullOrEmpty(executionArn))
        {
            throw new ArgumentException("An execution ARN is required.", nameof(executionArn));
        }

        return Span("workflow:" + executionArn);
    }

    /// <summary>An operation's span: SHA-256(ARN + ":" + operation id), scoped by ARN so caller and target differ.</summary>
    public static ActivitySpanId Operation(string executionArn, string operationId) => Span(executionArn + ":" + operationId);

    /// <summary>
    /// The trace id of an X-Ray header's <c>Root=1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy</c>: version prefix <c>1-</c>
    /// required, dashes removed, exactly 32 lowercase hex; null when absent or malformed.
    /// </summary>
    public static ActivityTraceId? RootOf(string? traceHeader)
    {
        var root = Field(traceHeader, "Root");
        if (root is null || !root.StartsWith("1-", StringComparison.Ordinal))
        {
            return null;
        }

        var hex = root[2..].Replace("-", "", StringComparison.Ordinal);
        return IsLowerHex(hex, 32) ? ActivityTraceId.CreateFromString(hex) : null;
    }

    /// <summary>The <c>Parent=</c> span id of an X-Ray header (16 lowercase hex), or null.</summary>
    public static ActivitySpanId? ParentOf(string? traceHeader)
    {
        var parent = Field(traceHeader, "Parent");
        return parent is not null && IsLowerHex(parent, 16) && parent != "0000000000000000"
            ? ActivitySpanId.CreateFromString(parent)
            : null;
    }

    private static ActivitySpanId Span(string input)
    {
        var hex = Hash(input).AsSpan(0, 16);
        return hex.SequenceEqual("0000000000000000") ? ActivitySpanId.CreateFromString("0000000000000001")
            : ActivitySpanId.CreateFromString(hex);
    }

    private static string Hash(string input) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(input))).ToLowerInvariant();

    private static string? Field(string? header, string key)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part.AsSpan(0, eq).Trim().Equals(key, StringComparison.Ordinal))
            {
                return part[(eq + 1)..].Trim();
            }
        }

        return null;
    }

    private static bool IsLowerHex(string text, int length)
    {
        if (text.Length != length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
