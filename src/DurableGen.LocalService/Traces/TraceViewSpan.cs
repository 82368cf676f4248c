using System.Collections.Generic;

namespace DurableGen.LocalService.Traces;

/// <summary>One row of the waterfall: a span in depth-first order under its parent, its times relative to the
/// trace's first span, and where its bar goes (fractions of the axis).</summary>
internal sealed class TraceViewSpan
{
    public required string TraceId { get; init; }

    public required string SpanId { get; init; }

    public string? ParentSpanId { get; init; }

    /// <summary>0 for a root; a span whose parent was not received is drawn as a root (<see cref="ParentMissing"/>).</summary>
    public int Depth { get; init; }

    /// <summary>The span names a parent the service has not received (e.g. the Lambda segment an Invocation span is
    /// parented on, which Lambda, not the function, exports).</summary>
    public bool ParentMissing { get; init; }

    public required string Name { get; init; }

    public string Kind { get; init; } = "UNSPECIFIED";

    public string? Scope { get; init; }

    public string? Service { get; init; }

    public string Status { get; init; } = "UNSET";

    public string? StatusMessage { get; init; }

    /// <summary>Milliseconds from the trace's first span start.</summary>
    public double StartMs { get; init; }

    public double DurationMs { get; init; }

    /// <summary>Where the bar starts, as a fraction of the axis.</summary>
    public double X { get; init; }

    /// <summary>The bar's width, as a fraction of the axis.</summary>
    public double Width { get; init; }

    public int EventCount { get; init; }

    public IReadOnlyList<SpanAttribute> Attributes { get; init; } = [];
}
