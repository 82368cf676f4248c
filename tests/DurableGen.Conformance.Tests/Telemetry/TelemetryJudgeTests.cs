using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Telemetry;
using DurableGen.Conformance.Validation;
using Xunit;

namespace DurableGen.Conformance.Tests.Telemetry;

/// <summary>Everything around the validator: value matching (§4.4), normalization and the Activity capture (§4.1),
/// trace assembly (§4.2), placeholders (§4.3), long-running rules (§4.7) and the loader.</summary>
public sealed class TelemetryJudgeTests
{
    private static JsonNode? Y(string yaml) => YamlJson.Parse(yaml);

    // §4.4 value matching
    [Theory]
    [InlineData("'*'", "{a: 1}", true)]
    [InlineData("'${/^otel-(a|b)$/}'", "otel-b", true)]
    [InlineData("'${/attempt/}'", "x attempt 2", true)] // search, not anchored
    [InlineData("'${/^True$/}'", "true", true)] // str(True)
    [InlineData("'${/^x$/}'", "y", false)]
    [InlineData("{$any_of: [UNSET, OK]}", "OK", true)]
    [InlineData("{$any_of: [UNSET, OK]}", "ERROR", false)]
    [InlineData("{$any_of: []}", "OK", false)]
    [InlineData("{a: 1}", "{a: 1, b: 2}", true)] // partial mapping
    [InlineData("{a: '*'}", "{b: 2}", false)] // the key must still be present
    [InlineData("[1, 2]", "[1, 2]", true)]
    [InlineData("[1, 2]", "[1, 2, 3]", false)] // same length
    [InlineData("[2, 1]", "[1, 2]", false)] // in order
    [InlineData("1", "true", true)] // Python True == 1
    [InlineData("'1'", "1", false)] // a string is not an integer
    [InlineData("null", "null", true)]
    [InlineData("null", "''", false)]
    public void Values_match_as_section_4_4_says(string expected, string actual, bool matches) =>
        Assert.Equal(matches, TelemetryMatcher.Matches(Y(expected), Y(actual)));

    [Fact]
    public void Expectation_errors_carry_the_path()
    {
        var errors = TelemetryMatcher.ExpectationErrors(Y("{a: {b: [1, 2]}}"), Y("{a: {b: [1, 3]}}"), "expect");
        Assert.Equal(["expect.a.b[1]: expected 2, got 3"], errors);
    }

    // §4.1 normalization
    [Theory]
    [InlineData("1-5759e988-bd862e3fe1be46a994272793", 32, "5759e988bd862e3fe1be46a994272793")]
    [InlineData(" 0xABCDEF0123456789 ", 16, "abcdef0123456789")]
    [InlineData("AAAAAAAAAAE=", 16, "0000000000000001")] // base64 of 8 bytes
    [InlineData("255", 16, "00000000000000ff")] // decimal
    [InlineData("ab-cd", 16, "000000000000abcd")]
    [InlineData("", 16, null)]
    public void Ids_normalize(string raw, int width, string? id) => Assert.Equal(id, SpanNormalizer.NormalizeId(raw, width));

    [Theory]
    [InlineData("STATUS_CODE_OK", "OK")]
    [InlineData("2", "ERROR")]
    [InlineData("failed", "ERROR")]
    [InlineData(null, "UNSET")]
    [InlineData("whatever", "UNSET")]
    public void Statuses_normalize(string? raw, string status) => Assert.Equal(status, SpanNormalizer.NormalizeStatus(raw));

    [Theory]
    [InlineData("SPAN_KIND_SERVER", "SERVER")]
    [InlineData("1", "INTERNAL")]
    [InlineData("9", "UNSPECIFIED")]
    public void Kinds_normalize(string raw, string kind) => Assert.Equal(kind, SpanNormalizer.NormalizeKind(raw));

    [Fact]
    public void Times_round_to_microseconds_half_to_even_and_print_as_python()
    {
        var t = SpanSet.T0;
        Assert.Equal(t, SpanNormalizer.ToMicroseconds(t.AddTicks(5)));
        Assert.Equal(t.AddTicks(20), SpanNormalizer.ToMicroseconds(t.AddTicks(15)));
        Assert.Equal(t.AddTicks(10), SpanNormalizer.ToMicroseconds(t.AddTicks(6)));
        Assert.Equal("2026-01-01T00:00:00+00:00", CapturedSpan.IsoFormat(t));
        Assert.Equal("2026-01-01T00:00:00.000002+00:00", CapturedSpan.IsoFormat(t.AddTicks(20)));
    }

    [Fact]
    public void The_capture_records_durable_gen_activities_in_canonical_form()
    {
        using var capture = new SpanCapture("svc");
        using var source = new ActivitySource("DurableGen.Test." + Guid.NewGuid().ToString("N"));
        using var ignored = new ActivitySource("Other.Test." + Guid.NewGuid().ToString("N"));
        var workflowContext = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var start = SpanSet.T0.AddTicks(3); // sub-microsecond: rounds away
        using (var root = source.StartActivity("Invocation", ActivityKind.Internal, parentContext: default, startTime: start,
            links: [new ActivityLink(workflowContext)])!)
        {
            root.SetTag("durable.execution.arn", SpanSet.Arn);
            root.SetTag("durable.invocation.first", true);
            root.SetTag("durable.attempt.number", 2);
            root.SetStatus(ActivityStatusCode.Ok);
            root.SetEndTime(SpanSet.At(1).UtcDateTime);
            using var other = ignored.StartActivity("not captured");
        }

        var span = Assert.Single(capture.Spans, s => s.Name == "Invocation");
        Assert.DoesNotContain(capture.Spans, s => s.Name == "not captured");
        Assert.Null(span.ParentSpanId);
        Assert.Equal("INTERNAL", span.Kind);
        Assert.Equal("OK", span.Status);
        Assert.Equal("svc", span.ServiceName);
        Assert.Equal(SpanSet.T0, span.Start);
        Assert.Equal(SpanSet.At(1), span.End);
        Assert.Equal([new SpanLinkRef(workflowContext.TraceId.ToHexString(), workflowContext.SpanId.ToHexString())], span.Links);
        var canonical = span.ToCanonical();
        Assert.True(TelemetryMatcher.Matches(Y("{service.name: svc, durable.invocation.first: true, durable.attempt.number: 2}"), canonical["attributes"]));
        Assert.False(TelemetryMatcher.Matches(Y("{durable.attempt.number: '2'}"), canonical["attributes"])); // types kept
    }

    // §4.2 assembly
    [Fact]
    public void Assembly_prefers_the_trace_with_the_workflow_and_takes_only_correlated_spans_elsewhere()
    {
        var set = new SpanSet();
        const string Other = "0000000000000000000000000000beef";
        set.Add("Invocation", "00000000000000b1", null, 1, 2, trace: Other, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        set.Add("unrelated", "00000000000000b2", "00000000000000b1", 1, 2, trace: Other);
        set.Add("Workflow", "00000000000000a1", null, 0, 3, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        set.Add("HTTP GET", "00000000000000a2", "00000000000000a1", 1, 2);
        set.Add("Workflow", "00000000000000c1", null, 1, 2, trace: "0000000000000000000000000000cafe", attributes: [("durable.execution.arn", "arn:target")]);
        var plain = TraceAssembler.Assemble(set.Spans, SpanSet.Arn)!;
        Assert.Equal(SpanSet.Trace, plain.TraceId);
        Assert.Equal(["Workflow", "HTTP GET", "Invocation"], plain.Spans.Select(s => s.Name));
        var widened = TraceAssembler.Assemble(set.Spans, SpanSet.Arn, ["arn:target"])!;
        Assert.Equal(4, widened.Spans.Count);
        Assert.Null(TraceAssembler.Assemble(set.Spans, "arn:nobody"));
    }

    // §4.3 placeholders
    [Fact]
    public void The_judge_binds_arn_and_service_name_and_prefixes_errors()
    {
        var context = new PlaceholderContext();
        context.Bind("STEP1", JsonValue.Create("op1"));
        var assertions = (JsonObject)Y("""
            minimum_spans: 4
            span_assertions:
              - select: {name: step-a}
                expect:
                  service_name: ${SERVICE_NAME}
                  attributes: {durable.execution.arn: '${EXECUTION_ARN}', durable.operation.id: '${STEP1}'}
            """)!;
        Assert.Empty(TelemetryJudge.Judge(assertions, context, SpanSet.Arn, "svc", SpanSet.OneStep().Spans));
        var wrongService = TelemetryJudge.Judge(assertions, new PlaceholderContext(), SpanSet.Arn, "other", SpanSet.OneStep().Spans);
        Assert.Contains(wrongService, e => e.StartsWith("OpenTelemetry: span_assertions[0].expect.service_name: expected 'other'", StringComparison.Ordinal));
        Assert.Contains(wrongService, e => e.Contains("'${STEP1}'", StringComparison.Ordinal)); // unbound: stays literal, fails
    }

    [Fact]
    public void A_placeholder_bound_twice_to_different_values_is_an_error()
    {
        var context = new PlaceholderContext();
        context.Bind("EXECUTION_ARN", JsonValue.Create("arn:elsewhere"));
        var errors = TelemetryJudge.Judge(new JsonObject(), context, SpanSet.Arn, "svc", SpanSet.OneStep().Spans);
        Assert.Equal(["OpenTelemetry: the placeholder ${EXECUTION_ARN} is already bound to 'arn:elsewhere'; it cannot be rebound to '" + SpanSet.Arn + "'"], errors);
    }

    [Fact]
    public void No_trace_for_the_execution_is_reported()
    {
        var errors = TelemetryJudge.Judge(new JsonObject(), new PlaceholderContext(), "arn:none", "svc", SpanSet.OneStep().Spans);
        Assert.Equal(["OpenTelemetry: no captured span carries durable.execution.arn = arn:none (4 span(s) captured)"], errors);
    }

    // §4.7 long-running
    [Fact]
    public void Long_running_files_run_in_both_views_with_both_delays_and_pick_the_views_assertions()
    {
        var requirement = Requirement.FromYaml("""
            Variables: {LONG_DELAY_SECONDS: 1}
            Input: {scenario: long-retry, delay_seconds: '${LONG_DELAY_SECONDS}'}
            TelemetryAssertions: {minimum_spans: 7}
            ExecutionTelemetryAssertions: {minimum_spans: 6}
            """, "otel-long-running-2", TelemetryCase.LongRunningSuite);
        var cases = TelemetryCase.For(requirement);
        Assert.Equal(["otel-long-running-2[invocation,delay=1]", "otel-long-running-2[invocation,delay=86400]",
            "otel-long-running-2[execution,delay=1]", "otel-long-running-2[execution,delay=86400]"], cases.Select(c => c.Name));
        Assert.Equal([7, 7, 6, 6], cases.Select(c => c.Assertions!["minimum_spans"]!.GetValue<long>()));
        Assert.Equal("long-running-2", cases[0].Scenario);

        var context = new PlaceholderContext();
        context.EvaluateVariables(requirement.Variables);
        LongRunningRules.BindDelay(context, 86400);
        Assert.Equal("""{"scenario":"long-retry","delay_seconds":"86400"}""", context.Substitute(requirement.Input)!.ToJsonString());
    }

    [Fact]
    public void Ordinary_files_run_once_in_their_suites_view()
    {
        var invocation = TelemetryCase.For(Requirement.FromYaml("TelemetryAssertions: {}", "otel-invocation-3", TelemetryCase.InvocationSuite));
        var execution = TelemetryCase.For(Requirement.FromYaml("TelemetryAssertions: {}", "otel-execution-3", TelemetryCase.ExecutionSuite));
        Assert.Equal(TelemetryView.Invocation, Assert.Single(invocation).View);
        Assert.Equal(TelemetryView.Execution, Assert.Single(execution).View);
        Assert.Equal("3", execution[0].Scenario);
        Assert.Empty(TelemetryCase.For(Requirement.FromYaml("{}", "1-1", "step")));
    }

    [Fact]
    public void A_terminal_event_before_start_plus_delay_is_premature()
    {
        var events = new JsonArray(
            new JsonObject { ["EventType"] = "ExecutionStarted", ["EventTimestamp"] = "2026-01-01T00:00:00Z" },
            new JsonObject { ["EventType"] = "ExecutionSucceeded", ["EventTimestamp"] = "2026-01-02T00:00:00Z" });
        Assert.Null(LongRunningRules.PrematureError(events, 86400)); // exactly start + delay: not premature
        Assert.Contains("Premature completion", LongRunningRules.PrematureError(events, 86401), StringComparison.Ordinal);
    }

    [Fact]
    public void The_loader_reads_both_assertion_mappings_and_refuses_other_shapes()
    {
        var ok = Requirement.FromYaml("TelemetryAssertions: {minimum_spans: 2}", "otel-invocation-1", "otel-invocation");
        Assert.Null(ok.LoadError);
        Assert.Equal(2, ok.TelemetryAssertions!["minimum_spans"]!.GetValue<long>());
        Assert.Null(ok.ExecutionTelemetryAssertions);
        var bad = Requirement.FromYaml("TelemetryAssertions: [1]\nExecutionTelemetryAssertions: x", "otel-invocation-1", "otel-invocation");
        Assert.Equal("TelemetryAssertions must be a mapping. ExecutionTelemetryAssertions must be a mapping.", bad.LoadError);
    }
}
