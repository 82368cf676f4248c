using System.Collections.Generic;
using System.Linq;
using DurableGen.LocalService.Traces;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The waterfall's layout: a three-day callback, in which only the Workflow and operation spans are open,
/// is squeezed into a break so the two invocations' spans keep their width; without durable spans the axis is linear.</summary>
public sealed class TraceViewTests
{
    private const ulong Ms = 1_000_000;
    private const ulong Start = 1_700_000_000_000 * Ms;
    private const ulong ThreeDays = 3 * 24 * 3600 * 1000 * Ms;

    [Fact]
    public void A_long_wait_between_invocations_is_a_break_and_the_work_around_it_keeps_its_width()
    {
        var spans = new List<TraceSpan>
        {
            Span("w", null, "Workflow", 0, ThreeDays, ("durable.execution.status", "SUCCEEDED")),
            Span("i1", "lambda", "Invocation", 0, 200 * Ms, ("durable.invocation.status", "PENDING")),
            Span("cb", "w", "approval", 100 * Ms, ThreeDays - 50 * Ms, ("durable.operation.status", "SUCCEEDED")),
            Span("i2", "lambda", "Invocation", ThreeDays - 100 * Ms, ThreeDays, ("durable.invocation.status", "SUCCEEDED")),
            Span("s", "w", "charge", ThreeDays - 80 * Ms, ThreeDays - 20 * Ms, ("durable.operation.status", "SUCCEEDED")),
            Span("a", "s", "charge attempt 1", ThreeDays - 70 * Ms, ThreeDays - 30 * Ms, ("durable.attempt.outcome", "SUCCEEDED")),
        };

        var view = TraceView.For("arn", spans);

        var pause = Assert.Single(view.Breaks);
        Assert.InRange(pause.HiddenMs, (long)(ThreeDays / Ms) - 400, (long)(ThreeDays / Ms) - 200);
        var rows = view.Spans.ToDictionary(s => s.SpanId);
        Assert.Equal(new[] { "w", "cb", "s", "a", "i1", "i2" }, view.Spans.Select(s => s.SpanId));
        Assert.Equal(0, rows["w"].X);
        Assert.Equal(1, rows["w"].Width, 4);
        // 300 ms of work and a break an eighth of that: each invocation is a large part of the axis, not a sliver.
        Assert.InRange(rows["i1"].Width, 0.5, 0.65);
        Assert.InRange(rows["i2"].X, rows["i1"].X + rows["i1"].Width, 0.8);
        Assert.InRange(rows["a"].X, rows["s"].X, rows["s"].X + rows["s"].Width);
        Assert.Equal(ThreeDays / (double)Ms, view.DurationMs);
    }

    [Fact]
    public void Spans_of_other_instrumentation_are_work_drawn_to_scale_and_only_a_stretch_with_none_open_is_a_break()
    {
        var covered = TraceView.For("arn", [Span("p", null, "GET", 0, 10_000 * Ms), Span("c", "p", "db", 9000 * Ms, 10_000 * Ms)]);
        Assert.Empty(covered.Breaks);
        Assert.Equal(0.9, covered.Spans.Single(s => s.SpanId == "c").X, 6);

        var apart = TraceView.For("arn", [Span("p", null, "GET", 0, 1000 * Ms), Span("c", null, "db", 9000 * Ms, 10_000 * Ms)]);
        Assert.Equal(8000, Assert.Single(apart.Breaks).HiddenMs);
    }

    private static TraceSpan Span(string id, string? parent, string name, ulong start, ulong end, params (string Key, string Value)[] attributes) => new()
    {
        TraceId = new string('a', 32),
        SpanId = id,
        ParentSpanId = parent,
        Name = name,
        StartUnixNano = Start + start,
        EndUnixNano = Start + end,
        Scope = "DurableGen",
        Attributes = attributes.Select(a => new SpanAttribute { Key = a.Key, Value = a.Value }).ToList(),
    };
}
