using System;
using System.Collections.Generic;
using System.Linq;

namespace DurableGen.LocalService.Traces;

/// <summary>What the execution page's waterfall draws (<c>/local/executions/{arn}/trace</c>): the execution's spans
/// nested by parent span id, laid out on one time axis from the first span's start to the last span's end.</summary>
internal sealed class TraceView
{
    public required string DurableExecutionArn { get; init; }

    /// <summary>The trace ids the spans belong to (one, when every invocation carried the service's trace header).</summary>
    public IReadOnlyList<string> TraceIds { get; init; } = [];

    /// <summary>The first span's start (unix milliseconds), or null when no span has arrived.</summary>
    public double? StartUnixMs { get; init; }

    /// <summary>From the first span's start to the last span's end.</summary>
    public double DurationMs { get; init; }

    public IReadOnlyList<TraceViewSpan> Spans { get; init; } = [];

    /// <summary>Lays out <paramref name="spans"/>: depth-first from the roots, children by start time.</summary>
    public static TraceView For(string executionArn, IReadOnlyList<TraceSpan> spans)
    {
        if (spans.Count == 0)
        {
            return new TraceView { DurableExecutionArn = executionArn };
        }

        var start = spans.Min(s => s.StartUnixNano);
        var end = Math.Max(spans.Max(s => Math.Max(s.EndUnixNano, s.StartUnixNano)), start + 1);
        var axis = (double)(end - start);
        var ids = spans.Select(s => (s.TraceId, s.SpanId)).ToHashSet();
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains((s.TraceId, s.ParentSpanId!)))
            .GroupBy(s => (s.TraceId, s.ParentSpanId!))
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartUnixNano).ThenBy(s => s.Name, StringComparer.Ordinal).ToList());
        var roots = spans.Where(s => s.ParentSpanId is null || !ids.Contains((s.TraceId, s.ParentSpanId)))
            .OrderBy(s => s.StartUnixNano).ThenBy(s => s.Name, StringComparer.Ordinal);

        var rows = new List<TraceViewSpan>(spans.Count);
        var seen = new HashSet<(string, string)>();
        void Visit(TraceSpan span, int depth)
        {
            if (!seen.Add((span.TraceId, span.SpanId)))
            {
                return; // a parent cycle sent by a broken exporter: each span once
            }

            var spanEnd = Math.Max(span.EndUnixNano, span.StartUnixNano);
            rows.Add(new TraceViewSpan
            {
                TraceId = span.TraceId,
                SpanId = span.SpanId,
                ParentSpanId = span.ParentSpanId,
                Depth = depth,
                ParentMissing = span.ParentSpanId is not null && depth == 0,
                Name = span.Name,
                Kind = span.Kind,
                Scope = span.Scope,
                Service = span.Service,
                Status = span.Status,
                StatusMessage = span.StatusMessage,
                StartMs = (span.StartUnixNano - start) / 1e6,
                DurationMs = (spanEnd - span.StartUnixNano) / 1e6,
                X = (span.StartUnixNano - start) / axis,
                Width = (spanEnd - span.StartUnixNano) / axis,
                EventCount = span.EventCount,
                Attributes = span.Attributes,
            });
            if (children.TryGetValue((span.TraceId, span.SpanId), out var list))
            {
                foreach (var child in list)
                {
                    Visit(child, depth + 1);
                }
            }
        }

        foreach (var root in roots)
        {
            Visit(root, 0);
        }

        return new TraceView
        {
            DurableExecutionArn = executionArn,
            TraceIds = spans.Select(s => s.TraceId).Distinct().Order(StringComparer.Ordinal).ToList(),
            StartUnixMs = start / 1e6,
            DurationMs = axis / 1e6,
            Spans = rows,
        };
    }
}
