using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace DurableGen.OpenTelemetry;

/// <summary>
/// Gives a started <see cref="Activity"/> a chosen trace and span id. <see cref="Activity"/> has no public way to do it
/// (its ids are generated in <c>Start</c>; the static <c>Activity.TraceIdGenerator</c> only covers root trace ids,
/// process-wide), and every OpenTelemetry .NET exporter takes <see cref="Activity"/> objects, so the ids are written
/// into the activity's id fields (<c>_traceId</c>, <c>_spanId</c>, <c>_id</c> — the lazily parsed strings its
/// <c>TraceId</c>, <c>SpanId</c>, <c>Id</c> and <c>Context</c> read) with <see cref="UnsafeAccessorAttribute"/>:
/// no reflection, trimming- and Native-AOT-safe, checked on System.Diagnostics.DiagnosticSource 8 and 10. Done
/// right after the start, before any child or exporter reads the ids. Should a runtime rename the fields, the accessor
/// throws <see cref="MissingFieldException"/>: the override is then switched off for the process and spans keep
/// random ids (each still valid, but spans of different invocations no longer meet).
/// </summary>
internal static class ActivityIdOverride
{
    private static volatile bool s_unsupported;

    /// <summary>Whether the running System.Diagnostics.DiagnosticSource let ids be overridden so far.</summary>
    public static bool IsSupported => !s_unsupported;

    /// <summary>Sets the ids of a W3C <paramref name="activity"/>; returns false when the runtime does not allow it.</summary>
    public static bool TryAssign(Activity activity, ActivityTraceId traceId, ActivitySpanId spanId)
    {
        if (s_unsupported || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return false;
        }

        try
        {
            var trace = traceId.ToHexString();
            var span = spanId.ToHexString();
            var flags = (activity.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
            TraceIdField(activity) = trace;
            SpanIdField(activity) = span;
            IdField(activity) = "00-" + trace + "-" + span + "-" + flags;
            return true;
        }
        catch (MissingFieldException)
        {
            s_unsupported = true;
            return false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_traceId")]
    private static extern ref string? TraceIdField(Activity activity);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_spanId")]
    private static extern ref string? SpanIdField(Activity activity);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_id")]
    private static extern ref string? IdField(Activity activity);
}
