namespace DurableGen.Conformance.Telemetry;

/// <summary>One link of a captured span: the linked span's context, ids normalized to lower-case hex.</summary>
/// <param name="TraceId">32 hex characters.</param>
/// <param name="SpanId">16 hex characters.</param>
public sealed record SpanLinkRef(string TraceId, string SpanId);
