using System;
using System.Collections.Generic;

namespace DurableGen.LocalService.Traces;

/// <summary>A span as the service keeps it: the fields of an OTLP <c>Span</c> the dashboard shows, with its
/// instrumentation scope and its resource's <c>service.name</c>. Ids are lowercase hex, as OTLP/JSON writes them.</summary>
internal sealed class TraceSpan
{
    /// <summary>The attribute DurableGen.OpenTelemetry puts on its spans (<c>DurableAttributes.ExecutionArn</c>).</summary>
    public const string ExecutionArnAttribute = "durable.execution.arn";

    /// <summary>32 lowercase hex digits.</summary>
    public required string TraceId { get; init; }

    /// <summary>16 lowercase hex digits.</summary>
    public required string SpanId { get; init; }

    /// <summary>16 lowercase hex digits, or null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    public required string Name { get; init; }

    /// <summary><c>INTERNAL</c>, <c>SERVER</c>, <c>CLIENT</c>, <c>PRODUCER</c>, <c>CONSUMER</c> or <c>UNSPECIFIED</c>.</summary>
    public string Kind { get; init; } = "UNSPECIFIED";

    public ulong StartUnixNano { get; init; }

    public ulong EndUnixNano { get; init; }

    /// <summary><c>UNSET</c>, <c>OK</c> or <c>ERROR</c>.</summary>
    public string Status { get; init; } = "UNSET";

    public string? StatusMessage { get; init; }

    /// <summary>The instrumentation scope (activity source) that made the span, e.g. <c>DurableGen</c>.</summary>
    public string? Scope { get; init; }

    /// <summary>The resource's <c>service.name</c>.</summary>
    public string? Service { get; init; }

    public IReadOnlyList<SpanAttribute> Attributes { get; init; } = [];

    /// <summary>How many events the span carried (their contents are not kept).</summary>
    public int EventCount { get; init; }

    /// <summary>The durable execution the span says it belongs to (its <see cref="ExecutionArnAttribute"/>).</summary>
    public string? ExecutionArn()
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Key, ExecutionArnAttribute, StringComparison.Ordinal))
            {
                return attribute.Value;
            }
        }

        return null;
    }
}
