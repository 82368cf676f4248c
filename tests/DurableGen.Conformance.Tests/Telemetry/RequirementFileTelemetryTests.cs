using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Running;
using DurableGen.Conformance.Telemetry;
using DurableGen.Conformance.Validation;
using Xunit;

namespace DurableGen.Conformance.Tests.Telemetry;

/// <summary>
/// The validator on AWS's own requirement files (read at run time from <c>../shared/conformance-otel</c>): a hand-built
/// span set shaped as otel.md §1.2 describes passes, and the same set with one mistake fails for that mistake. Needs
/// nothing from the producer.
/// </summary>
public sealed class RequirementFileTelemetryTests
{
    private const string Service = TelemetrySources.DefaultServiceName;

    private static Requirement Load(string suite, string id)
    {
        var root = RequirementsLocator.ResolveTelemetry(null, Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        var requirement = Requirement.Load(Path.Combine(root, suite, id + ".yaml"), suite);
        Assert.Null(requirement.LoadError);
        return requirement;
    }

    private static List<string> Judge(Requirement requirement, IEnumerable<CapturedSpan> spans, params (string Name, string Value)[] history)
    {
        var context = new PlaceholderContext();
        foreach (var (name, value) in history)
        {
            context.Bind(name, JsonValue.Create(value)); // what the history matcher bound
        }

        return TelemetryJudge.Judge(TelemetryCase.For(requirement).Single().Assertions!, context, SpanSet.Arn, Service, spans);
    }

    private static CapturedSpan Span(string name, string id, string? parent, double start, double end, string status,
        IReadOnlyList<SpanLinkRef> links, params (string Key, JsonNode? Value)[] attributes) => new()
    {
        TraceId = SpanSet.Trace,
        SpanId = id,
        ParentSpanId = parent,
        Name = name,
        Start = SpanSet.At(start),
        End = SpanSet.At(end),
        Status = status,
        ServiceName = Service,
        Links = links,
        Attributes = attributes.Append((Key: "service.name", Value: (JsonNode?)Service)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
    };

    /// <summary>otel-invocation-1 (one successful step) in the invocation view, one trace, Invocation under a remote
    /// Lambda parent.</summary>
    private static List<CapturedSpan> InvocationViewSuccess(string stepParent = "00000000000000b1")
    {
        var workflow = SpanSet.Link("00000000000000a1");
        return
        [
            Span("otel-success attempt 1", "00000000000000d1", "00000000000000c1", 3, 4, "OK", [workflow],
                ("durable.execution.arn", SpanSet.Arn), ("durable.operation.id", "op-1"), ("durable.operation.type", "STEP"),
                ("durable.operation.subtype", "Step"), ("durable.operation.name", "otel-success"),
                ("durable.attempt.number", 1), ("durable.attempt.outcome", "SUCCEEDED")),
            Span("otel-success", "00000000000000c1", stepParent, 2, 5, "OK", [workflow],
                ("durable.execution.arn", SpanSet.Arn), ("durable.operation.id", "op-1"), ("durable.operation.type", "STEP"),
                ("durable.operation.subtype", "Step"), ("durable.operation.name", "otel-success"),
                ("durable.operation.status", "SUCCEEDED"), ("durable.attempt.number", 1)),
            Span("Invocation", "00000000000000b1", "00000000000000ff", 1, 6, "OK", [],
                ("durable.execution.arn", SpanSet.Arn), ("durable.invocation.first", true), ("durable.invocation.status", "SUCCEEDED")),
            Span("Workflow", "00000000000000a1", null, 0, 7, "OK", [],
                ("durable.execution.arn", SpanSet.Arn), ("durable.execution.status", "SUCCEEDED")),
        ];
    }

    [Fact]
    public void Invocation_1_passes_on_the_specified_shape() =>
        Assert.Empty(Judge(Load("otel-invocation", "otel-invocation-1"), InvocationViewSuccess(), ("STEP1", "op-1")));

    [Fact]
    public void Invocation_1_fails_when_the_step_hangs_under_the_workflow()
    {
        var errors = Judge(Load("otel-invocation", "otel-invocation-1"), InvocationViewSuccess(stepParent: "00000000000000a1"), ("STEP1", "op-1"));
        Assert.Contains("OpenTelemetry: span_assertions[2].expect.parent.name: expected 'Invocation', got 'Workflow' (parent Workflow (00000000000000a1)) (span otel-success (00000000000000c1))", errors);
    }

    [Fact]
    public void Invocation_1_fails_when_the_invocation_is_a_second_root()
    {
        var spans = InvocationViewSuccess();
        var invocation = spans[2];
        spans[2] = Span(invocation.Name, invocation.SpanId, null, 1, 6, "OK", [], invocation.Attributes.Where(a => a.Key != "service.name").Select(a => (a.Key, a.Value)).ToArray());
        Assert.Contains(Judge(Load("otel-invocation", "otel-invocation-1"), spans, ("STEP1", "op-1")),
            e => e.StartsWith($"OpenTelemetry: Trace {SpanSet.Trace} has 2 root spans", StringComparison.Ordinal));
    }

    [Fact]
    public void Invocation_15_fails_when_a_pending_invocation_exports_the_workflow()
    {
        var spans = new List<CapturedSpan>
        {
            Span("otel-interrupted-wait", "00000000000000c1", "00000000000000b1", 2, 5, "UNSET", [SpanSet.Link("00000000000000a1")],
                ("durable.execution.arn", SpanSet.Arn), ("durable.operation.id", "w-1"), ("durable.operation.type", "WAIT"),
                ("durable.operation.subtype", "Wait"), ("durable.operation.name", "otel-interrupted-wait"), ("durable.operation.status", "STARTED")),
            Span("Invocation", "00000000000000b1", "00000000000000ff", 1, 6, "OK", [],
                ("durable.execution.arn", SpanSet.Arn), ("durable.invocation.first", true), ("durable.invocation.status", "PENDING")),
        };
        var requirement = Load("otel-invocation", "otel-invocation-15");
        Assert.Empty(Judge(requirement, spans, ("INTERRUPTED_WAIT", "w-1")));
        spans.Add(Span("Workflow", "00000000000000a1", null, 0, 7, "OK", [], ("durable.execution.arn", SpanSet.Arn), ("durable.execution.status", "FAILED")));
        Assert.Equal(["OpenTelemetry: Span assertions did not cover: Workflow (00000000000000a1)"], Judge(requirement, spans, ("INTERRUPTED_WAIT", "w-1")));
    }

    [Fact]
    public void Every_given_otel_requirement_loads_with_assertions_for_each_of_its_runs()
    {
        var root = RequirementsLocator.ResolveTelemetry(null, Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        var requirements = Requirement.LoadAll(root);
        Assert.Equal(36, requirements.Count);
        Assert.All(requirements, r => Assert.Null(r.LoadError));
        var cases = requirements.SelectMany(TelemetryCase.For).ToList();
        Assert.Equal(requirements.Count(r => r.Suite != TelemetryCase.LongRunningSuite) + 4 * requirements.Count(r => r.Suite == TelemetryCase.LongRunningSuite), cases.Count);
        Assert.All(cases, c => Assert.NotNull(c.Assertions));
    }
}
