using System.Collections.Generic;

namespace DurableGen.LocalService.Traces;

/// <summary>The spans of one <c>ExportTraceServiceRequest</c>, and how many of its spans were refused (OTLP's partial
/// success) with the reason of the first.</summary>
internal sealed class OtlpBatch
{
    public List<TraceSpan> Spans { get; } = new();

    public long Rejected { get; set; }

    public string? RejectReason { get; set; }

    /// <summary>Counts a span that cannot be kept (an invalid id), keeping the first reason.</summary>
    public void Reject(string reason)
    {
        Rejected++;
        RejectReason ??= reason;
    }
}
