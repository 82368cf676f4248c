using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.LocalService.Dashboard;

namespace DurableGen.LocalService.Traces;

/// <summary>What the execution page's waterfall draws (<c>/local/executions/{arn}/trace</c>): the execution's spans
/// nested by parent span id, laid out on one time axis from the first span's start to the last span's end. The axis is
/// the timeline's (<see cref="TimeAxis"/>): to scale while something runs, and a long stretch in which only the
/// durable containers are open (the Workflow span and operation spans across a wait or a callback, however long) is
/// squeezed into a break (as is a long stretch in which no span is open at all), so the invocations' spans keep their
/// width.</summary>
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

    /// <summary>The squeezed stretches of the axis, for the page to mark.</summary>
    public IReadOnlyList<TimelineBreak> Breaks { get; init; } = [];

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
        var time = new TimeAxis(Time(start), Time(end), spans.Where(Busy).Select(s => (Time(s.StartUnixNano), Time(Math.Max(s.EndUnixNano, s.StartUnixNano)))));
        var ids = spans.Select(s => (s.TraceId, s.SpanId)).ToHashSet();
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains((s.TraceId, s.ParentSpanId!)))
            .GroupBy(s => (s.TraceId, s.ParentSpanId!))
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartUnixNano).ThenBy(s => s.Name, StringComparer.Ordinal).ToList());
        // True roots (the Workflow span) first, then spans whose parent was not received (Invocation spans).
        var roots = spans.Where(s => s.ParentSpanId is null || !ids.Contains((s.TraceId, s.ParentSpanId)))
            .OrderBy(s => s.ParentSpanId is null ? 0 : 1).ThenBy(s => s.StartUnixNano).ThenBy(s => s.Name, StringComparer.Ordinal);

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
                X = time.X(Time(span.StartUnixNano)),
                Width = time.X(Time(spanEnd)) - time.X(Time(span.StartUnixNano)),
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
            Breaks = time.Breaks,
        };
    }

    /// <summary>Whether a span is work (an invocation, an attempt, the user's and other instrumentation's spans)
    /// rather than a durable container that stays open while nothing runs: the Workflow span (the only one with
    /// <c>durable.execution.status</c>) and operation spans (<c>durable.operation.status</c>; attempts carry
    /// <c>durable.attempt.outcome</c> instead). Other instrumentation's spans are all work.</summary>
    private static bool Busy(TraceSpan span) =>
        !span.Attributes.Any(a => a.Key is "durable.execution.status" or "durable.operation.status");

    private static DateTimeOffset Time(ulong unixNano) => DateTimeOffset.UnixEpoch.AddTicks((long)(unixNano / 100));
}
