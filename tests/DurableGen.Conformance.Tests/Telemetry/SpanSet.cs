using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Telemetry;

namespace DurableGen.Conformance.Tests.Telemetry;

/// <summary>Hand-built spans for validator tests: times are seconds after <see cref="T0"/>, ids are readable hex.</summary>
internal sealed class SpanSet
{
    public const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:otel:$LATEST/durable-execution/exec-1/11111111-2222-3333-4444-555555555555";
    public const string Trace = "124c39cd0b05ff1eb99ba82e8251f09a";
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public List<CapturedSpan> Spans { get; } = new();

    public static DateTimeOffset At(double seconds) => T0.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));

    public CapturedSpan Add(string name, string spanId, string? parent, double start, double end,
        string status = "OK", IReadOnlyList<SpanLinkRef>? links = null, string trace = Trace, string kind = "INTERNAL",
        params (string Key, object Value)[] attributes)
    {
        var map = new Dictionary<string, JsonNode?>(StringComparer.Ordinal) { ["service.name"] = "svc" };
        foreach (var (key, value) in attributes)
        {
            map[key] = value switch
            {
                bool b => JsonValue.Create(b),
                int i => JsonValue.Create(i),
                _ => JsonValue.Create(value.ToString()),
            };
        }

        var span = new CapturedSpan
        {
            TraceId = trace,
            SpanId = spanId,
            ParentSpanId = parent,
            Name = name,
            Kind = kind,
            Start = At(start),
            End = At(end),
            Status = status,
            ServiceName = "svc",
            Attributes = map,
            Links = links ?? [],
        };
        Spans.Add(span);
        return span;
    }

    public AssembledTrace Assembled() => new(Trace, Spans.ToList());

    public static SpanLinkRef Link(string spanId, string trace = Trace) => new(trace, spanId);

    /// <summary>An invocation-view execution of one successful step: Workflow, Invocation (under a remote Lambda
    /// parent), step under Invocation, attempt under step, operation spans linking the Workflow.</summary>
    public static SpanSet OneStep()
    {
        var set = new SpanSet();
        set.Add("Workflow", "00000000000000a1", null, 0, 10, attributes: [("durable.execution.arn", Arn), ("durable.execution.status", "SUCCEEDED")]);
        set.Add("Invocation", "00000000000000b1", "00000000000000ff", 1, 9,
            attributes: [("durable.execution.arn", Arn), ("durable.invocation.first", true), ("durable.invocation.status", "SUCCEEDED")]);
        set.Add("step-a", "00000000000000c1", "00000000000000b1", 2, 8, links: [Link("00000000000000a1")],
            attributes: [("durable.execution.arn", Arn), ("durable.operation.id", "op1"), ("durable.operation.type", "STEP"), ("durable.operation.status", "SUCCEEDED"), ("durable.attempt.number", 1)]);
        set.Add("step-a attempt 1", "00000000000000d1", "00000000000000c1", 3, 7, links: [Link("00000000000000a1")],
            attributes: [("durable.execution.arn", Arn), ("durable.operation.id", "op1"), ("durable.attempt.number", 1), ("durable.attempt.outcome", "SUCCEEDED")]);
        return set;
    }
}
