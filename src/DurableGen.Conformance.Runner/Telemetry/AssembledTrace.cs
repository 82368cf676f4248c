using System.Collections.Generic;

namespace DurableGen.Conformance.Telemetry;

/// <summary>The spans judged for one execution (otel.md §4.2): the primary trace id and every span taken, which may
/// come from several trace ids (correlated executions, per-invocation traces).</summary>
/// <param name="TraceId">The primary trace id.</param>
/// <param name="Spans">The spans, in capture order, duplicates kept.</param>
public sealed record AssembledTrace(string TraceId, IReadOnlyList<CapturedSpan> Spans);
