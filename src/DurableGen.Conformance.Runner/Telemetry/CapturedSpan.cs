using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// One finished span in the canonical form the OpenTelemetry validator judges (otel.md §4.1): ids as lower-case hex,
/// kind and status as their upper-case names, times at microsecond resolution, attributes = resource attributes
/// overlaid by span attributes (JSON values keep bool and integer types), links in order. Independent of how the span
/// was produced, so the validator can be tested on hand-built spans.
/// </summary>
public sealed class CapturedSpan
{
    /// <summary>32 lower-case hex characters.</summary>
    public required string TraceId { get; init; }

    /// <summary>16 lower-case hex characters.</summary>
    public required string SpanId { get; init; }

    /// <summary>16 hex characters, or null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>The span name.</summary>
    public required string Name { get; init; }

    /// <summary><c>UNSPECIFIED</c>, <c>INTERNAL</c>, <c>SERVER</c>, <c>CLIENT</c>, <c>PRODUCER</c> or <c>CONSUMER</c>.</summary>
    public string Kind { get; init; } = "INTERNAL";

    /// <summary>Start (UTC, whole microseconds).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>End (UTC, whole microseconds).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary><c>OK</c>, <c>ERROR</c> or <c>UNSET</c>.</summary>
    public string Status { get; init; } = "UNSET";

    /// <summary>The resource's <c>service.name</c>, or null.</summary>
    public string? ServiceName { get; init; }

    /// <summary>Resource attributes overlaid by span attributes.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Attributes { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>Links in the order they were added.</summary>
    public IReadOnlyList<SpanLinkRef> Links { get; init; } = Array.Empty<SpanLinkRef>();

    /// <summary>The <c>durable.execution.arn</c> attribute as text, or null.</summary>
    public string? ExecutionArn =>
        Attributes.TryGetValue("durable.execution.arn", out var arn) && arn is not null ? Validation.Py.Str(arn) : null;

    /// <summary>
    /// The span as the mapping assertions are matched against: <c>trace_id</c>, <c>span_id</c>, <c>parent_span_id</c>,
    /// <c>name</c>, <c>kind</c>, <c>start_time</c>/<c>end_time</c> (ISO text as Python's <c>isoformat</c>), <c>status</c>,
    /// <c>service_name</c>, <c>attributes</c>, <c>links</c>.
    /// </summary>
    public JsonObject ToCanonical()
    {
        var attributes = new JsonObject();
        foreach (var (key, value) in Attributes)
        {
            attributes[key] = value?.DeepClone();
        }

        var links = new JsonArray();
        foreach (var link in Links)
        {
            links.Add(new JsonObject { ["trace_id"] = link.TraceId, ["span_id"] = link.SpanId });
        }

        return new JsonObject
        {
            ["trace_id"] = TraceId,
            ["span_id"] = SpanId,
            ["parent_span_id"] = ParentSpanId,
            ["name"] = Name,
            ["kind"] = Kind,
            ["start_time"] = IsoFormat(Start),
            ["end_time"] = IsoFormat(End),
            ["status"] = Status,
            ["service_name"] = ServiceName,
            ["attributes"] = attributes,
            ["links"] = links,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({SpanId})";

    /// <summary>Python's <c>datetime.isoformat()</c> of an aware UTC time: microseconds only when non-zero.</summary>
    public static string IsoFormat(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var micros = (utc.Ticks % TimeSpan.TicksPerSecond) / 10;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return micros == 0 ? text + "+00:00" : text + "." + micros.ToString("000000", CultureInfo.InvariantCulture) + "+00:00";
    }
}
