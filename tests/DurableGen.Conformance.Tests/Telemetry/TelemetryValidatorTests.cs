using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Telemetry;
using Xunit;

namespace DurableGen.Conformance.Tests.Telemetry;

/// <summary>The validator of otel.md §4.5–§4.6 on hand-built span sets: for each rule one set that passes and one that
/// fails for the reason the rule names.</summary>
public sealed class TelemetryValidatorTests
{
    private static JsonObject Assertions(string yaml) => (JsonObject)YamlJson.Parse(yaml.Replace("ARN", SpanSet.Arn, System.StringComparison.Ordinal))!;

    private static List<string> Validate(SpanSet set, string yaml) =>
        TelemetryValidator.Validate(set.Assembled(), Assertions(yaml), SpanSet.Arn);

    private static void Passes(SpanSet set, string yaml) => Assert.Empty(Validate(set, yaml));

    private static void Fails(SpanSet set, string yaml, string fragment)
    {
        var errors = Validate(set, yaml);
        Assert.True(errors.Any(e => e.Contains(fragment, System.StringComparison.Ordinal)),
            $"expected an error containing '{fragment}', got: {string.Join(" | ", errors)}");
    }

    // §4.5 minimum_spans
    [Fact]
    public void Minimum_spans_counts_every_span() => Passes(SpanSet.OneStep(), "minimum_spans: 4");

    [Fact]
    public void Minimum_spans_fails_when_short() => Fails(SpanSet.OneStep(), "minimum_spans: 5", "Expected at least 5 span(s), found 4");

    // §4.5 require_unique_root_per_trace
    [Fact]
    public void One_root_per_trace_passes() => Passes(SpanSet.OneStep(), "require_unique_root_per_trace: true");

    [Fact]
    public void A_second_root_in_the_trace_fails()
    {
        var set = SpanSet.OneStep();
        set.Add("Invocation", "00000000000000b2", null, 9, 10, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Fails(set, "require_unique_root_per_trace: true", "has 2 root spans");
    }

    [Fact]
    public void A_root_of_another_trace_and_a_duplicated_export_of_the_root_are_allowed()
    {
        var set = SpanSet.OneStep();
        set.Add("Workflow", "00000000000000a1", null, 0, 10, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        set.Add("Workflow", "00000000000000e1", null, 0, 10, trace: "0000000000000000000000000000beef", attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Passes(set, "require_unique_root_per_trace: true");
    }

    [Fact]
    public void Unique_root_flag_must_be_a_boolean() =>
        Fails(SpanSet.OneStep(), "require_unique_root_per_trace: 'yes'", "require_unique_root_per_trace must be a boolean");

    // §4.5 start <= end, always
    [Fact]
    public void A_span_ending_before_it_starts_fails()
    {
        var set = SpanSet.OneStep();
        set.Add("broken", "00000000000000f1", "00000000000000b1", 5, 4, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Fails(set, "minimum_spans: 1", "broken (00000000000000f1) ends before it starts");
    }

    // §4.5 require_execution_correlation / allowed_execution_arns
    [Fact]
    public void Correlation_is_on_by_default_and_passes_with_the_arn() => Passes(SpanSet.OneStep(), "minimum_spans: 1");

    [Fact]
    public void Correlation_fails_without_the_arn()
    {
        var set = new SpanSet();
        set.Add("Workflow", "00000000000000a1", null, 0, 1, attributes: [("durable.execution.arn", "arn:other")]);
        Fails(set, "minimum_spans: 1", "No span carries the durable execution ARN");
        Passes(set, "require_execution_correlation: false");
    }

    [Fact]
    public void A_foreign_arn_fails_unless_allowed()
    {
        var set = SpanSet.OneStep();
        set.Add("Workflow", "00000000000000e1", null, 0, 1, trace: "0000000000000000000000000000beef", attributes: [("durable_execution_arn", "ARN:TARGET")]);
        Fails(set, "minimum_spans: 1", "outside allowed_execution_arns: arn:target");
        Passes(set, "allowed_execution_arns: [ARN, arn:target]"); // compared lower-cased
    }

    [Fact]
    public void Allowed_arns_must_be_strings() =>
        Fails(SpanSet.OneStep(), "allowed_execution_arns: {a: 1}", "allowed_execution_arns must be a string or sequence of strings");

    // §4.5 minimum_invocations
    [Fact]
    public void Minimum_invocations_counts_invocation_spans_with_the_first_attribute()
    {
        var set = SpanSet.OneStep();
        set.Add("INVOCATION", "00000000000000b2", "00000000000000fe", 11, 12, attributes: [("durable.execution.arn", SpanSet.Arn), ("durable.invocation.first", false)]);
        Passes(set, "minimum_invocations: 2");
        set.Spans.RemoveAt(set.Spans.Count - 1);
        set.Add("Invocation", "00000000000000b2", "00000000000000fe", 11, 12, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Fails(set, "minimum_invocations: 2", "Expected at least 2 invocation span(s), found 1");
    }

    // §4.5 exact_attribute_prefixes
    private const string ExactStep = """
        exact_attribute_prefixes: durable.
        span_assertions:
          - select: {name: step-a}
            expect:
              attributes:
                durable.execution.arn: ARN
                durable.operation.id: op1
                durable.operation.type: STEP
                durable.operation.status: SUCCEEDED
                durable.attempt.number: 1
        """;

    [Fact]
    public void Exact_prefixes_pass_when_the_key_sets_agree() => Passes(SpanSet.OneStep(), ExactStep);

    [Fact]
    public void Exact_prefixes_fail_on_an_extra_durable_attribute()
    {
        var set = SpanSet.OneStep();
        var step = set.Spans[2];
        var attributes = step.Attributes.ToDictionary(p => p.Key, p => p.Value);
        attributes["durable.operation.outcome"] = "SUCCEEDED";
        set.Spans[2] = new CapturedSpan
        {
            TraceId = step.TraceId, SpanId = step.SpanId, ParentSpanId = step.ParentSpanId, Name = step.Name,
            Start = step.Start, End = step.End, Status = step.Status, Links = step.Links, Attributes = attributes,
        };
        Fails(set, ExactStep, "unexpected durable.operation.outcome");
    }

    [Fact]
    public void A_missing_attribute_fails_with_its_path() =>
        Fails(SpanSet.OneStep(), "span_assertions: {select: {name: step-a}, expect: {attributes: {durable.operation.name: step-a}}}",
            "span_assertions[0].expect.attributes.durable.operation.name: property is missing (span step-a (00000000000000c1))");

    // §4.5 span_assertion_scope + require_all_spans
    private const string CoverWorkflowOnly = """
        require_all_spans: true
        span_assertion_scope: {name: Workflow}
        span_assertions:
          - select: {name: Workflow}
            expect: {parent_span_id: null}
        """;

    [Fact]
    public void Require_all_spans_only_looks_inside_the_scope() => Passes(SpanSet.OneStep(), CoverWorkflowOnly);

    [Fact]
    public void Require_all_spans_reports_uncovered_spans_in_scope() =>
        Fails(SpanSet.OneStep(), CoverWorkflowOnly.Replace("span_assertion_scope: {name: Workflow}", "span_assertion_scope: [{attributes: {durable.execution.arn: ARN}}]", System.StringComparison.Ordinal),
            "Span assertions did not cover: Invocation (00000000000000b1), step-a (00000000000000c1), step-a attempt 1 (00000000000000d1)");

    // §4.6 selection and count
    [Fact]
    public void A_selector_matching_nothing_fails() =>
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: nothing}, expect: {}}]", "span_assertions[0].select matched no spans");

    [Fact]
    public void A_selector_matching_two_fails_without_count()
    {
        var set = SpanSet.OneStep();
        Fails(set, "span_assertions: [{select: {attributes: {durable.operation.id: op1}}, expect: {}}]", "matched 2 spans; it must select exactly one");
        Passes(set, "span_assertions: [{select: {attributes: {durable.operation.id: op1}}, count: 2, expect: {kind: INTERNAL}}]");
        Passes(set, "span_assertions: [{select: {attributes: {durable.operation.id: op1}}, count: {$any_of: [1, 2]}, expect: {}}]");
        Fails(set, "span_assertions: [{select: {attributes: {durable.operation.id: op1}}, count: 3, expect: {}}]", "matched 2 spans; expected 3");
    }

    [Fact]
    public void Selection_consumes_spans_for_later_assertions()
    {
        const string Yaml = """
            span_assertions:
              - select: {name: step-a attempt 1}
                expect: {}
              - select: {attributes: {durable.operation.id: op1}}
                expect: {name: step-a}
            """;
        Passes(SpanSet.OneStep(), Yaml);
    }

    [Fact]
    public void Unknown_assertion_fields_and_a_missing_expect_are_errors()
    {
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: Workflow}, expect: {}, where: 1}]", "span_assertions[0] has unknown field(s): where");
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: Workflow}}]", "span_assertions[0].expect must be a mapping");
    }

    [Fact]
    public void Status_is_compared_after_normalization()
    {
        Passes(SpanSet.OneStep(), "span_assertions: [{select: {name: Workflow, status: STATUS_CODE_OK}, expect: {status: {$any_of: [UNSET, '1']}}}]");
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: Workflow}, expect: {status: FAILED}}]", "expect.status: expected 'ERROR', got 'OK'");
    }

    // §4.6 parent
    [Fact]
    public void The_right_parent_passes() =>
        Passes(SpanSet.OneStep(), "span_assertions: [{select: {name: step-a}, expect: {parent: {name: Invocation, kind: INTERNAL}}}]");

    [Fact]
    public void A_wrong_parent_fails() =>
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: step-a}, expect: {parent: {name: Workflow}}}]",
            "span_assertions[0].expect.parent.name: expected 'Workflow', got 'Invocation'");

    [Fact]
    public void A_parent_in_another_trace_or_missing_is_not_present()
    {
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: Invocation}, expect: {parent: {name: Workflow}}}]",
            "parent span is not present in the trace");
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: Workflow}, expect: {parent: {}}}]", "selected span has no parent");
    }

    [Fact]
    public void A_child_outside_its_parent_fails_unless_allow_outside()
    {
        var set = SpanSet.OneStep();
        set.Add("late", "00000000000000f1", "00000000000000c1", 7, 12, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Fails(set, "span_assertions: [{select: {name: late}, expect: {parent: {name: step-a}}}]", "lies outside its parent step-a");
        Passes(set, "span_assertions: [{select: {name: late}, expect: {parent: {name: step-a, $allow_outside: true}}}]");
        Fails(set, "span_assertions: [{select: {name: late}, expect: {parent: {name: step-a, $allow_outside: false}}}]", "$allow_outside must be true");
    }

    // §4.6 links
    [Fact]
    public void Links_resolve_anywhere_in_the_assembled_trace() =>
        Passes(SpanSet.OneStep(), "span_assertions: [{select: {name: step-a}, expect: {links: [{name: Workflow, attributes: {durable.execution.status: SUCCEEDED}}]}}]");

    [Fact]
    public void Link_count_and_target_must_match()
    {
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: step-a}, expect: {links: []}}]", "expected 0 link(s), found 1");
        Fails(SpanSet.OneStep(), "span_assertions: [{select: {name: step-a}, expect: {links: [{name: Invocation}]}}]",
            "links[0].name: expected 'Invocation', got 'Workflow'");
    }

    [Fact]
    public void A_link_to_an_unexported_span_is_not_present()
    {
        var set = SpanSet.OneStep();
        set.Add("orphan", "00000000000000f1", "00000000000000b1", 2, 3, links: [SpanSet.Link("0000000000000bad")], attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Fails(set, "span_assertions: [{select: {name: orphan}, expect: {links: [{name: Workflow}]}}]", "linked span is not present in the trace");
    }

    [Fact]
    public void Link_count_counts_duplicate_exports()
    {
        var set = SpanSet.OneStep();
        set.Add("Workflow", "00000000000000a1", null, 0, 10, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Fails(set, "span_assertions: [{select: {name: step-a}, expect: {links: [{name: Workflow}]}}]", "has 2 export(s), 2 matching the expectation; expected 1");
        Passes(set, "span_assertions: [{select: {name: step-a}, expect: {links: [{name: Workflow, count: 2}]}}]");
    }

    private static SpanSet TwoInvocations()
    {
        var set = new SpanSet();
        set.Add("Workflow", "00000000000000a1", null, 0, 30, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        set.Add("Invocation", "00000000000000b1", "00000000000000fe", 1, 9, attributes: [("durable.execution.arn", SpanSet.Arn), ("durable.invocation.first", true)]);
        set.Add("Invocation", "00000000000000b2", "00000000000000fd", 20, 29, attributes: [("durable.execution.arn", SpanSet.Arn), ("durable.invocation.first", false)]);
        set.Add("retry", "00000000000000c1", "00000000000000a1", 2, 25, links: [SpanSet.Link("00000000000000b2")], attributes: [("durable.execution.arn", SpanSet.Arn)]);
        set.Add("retry attempt 1", "00000000000000d1", "00000000000000c1", 2, 3, status: "ERROR", links: [SpanSet.Link("00000000000000b1")], attributes: [("durable.execution.arn", SpanSet.Arn)]);
        set.Add("retry attempt 2", "00000000000000d2", "00000000000000c1", 21, 22, links: [SpanSet.Link("00000000000000b2")], attributes: [("durable.execution.arn", SpanSet.Arn)]);
        return set;
    }

    [Fact]
    public void Occurrence_picks_the_kth_matching_span_in_time_order()
    {
        Passes(TwoInvocations(), "span_assertions: [{select: {name: retry}, expect: {links: [{$occurrence: 2, name: Invocation}]}}]");
        Fails(TwoInvocations(), "span_assertions: [{select: {name: retry}, expect: {links: [{$occurrence: 1, name: Invocation}]}}]",
            "the link points to occurrence 2 of 2");
        Fails(TwoInvocations(), "span_assertions: [{select: {name: retry}, expect: {links: [{$occurrence: 3, name: Invocation}]}}]",
            "occurrence 3 does not exist");
    }

    [Fact]
    public void Links_may_offer_alternatives() =>
        Passes(SpanSet.OneStep(), "span_assertions: [{select: {name: step-a}, expect: {links: {$any_of: [[], [{name: Workflow}]]}}}]");

    // §4.6 before / after / inside
    [Fact]
    public void Before_and_after_compare_end_with_start()
    {
        var set = TwoInvocations();
        Passes(set, """
            span_assertions:
              - select: {name: retry attempt 1}
                expect: {before: {name: retry attempt 2}}
              - select: {name: retry attempt 2}
                expect: {after: {name: retry attempt 1}}
            """);
        Fails(TwoInvocations(), "span_assertions: [{select: {name: retry attempt 2}, expect: {before: {name: retry attempt 1}}}]",
            "must end at or before the other span's start");
        Fails(TwoInvocations(), "span_assertions: [{select: {name: retry attempt 1}, expect: {after: {name: retry attempt 2}}}]",
            "must start at or after the other span's end");
    }

    [Fact]
    public void Relation_selectors_must_match_exactly_one_other_span() =>
        Fails(TwoInvocations(), "span_assertions: [{select: {name: retry}, expect: {before: {name: Invocation}}}]",
            "the selector matched 2 span(s); it must match exactly one");

    [Fact]
    public void Inside_linked_restricts_to_the_linked_spans()
    {
        Passes(TwoInvocations(), "span_assertions: [{select: {name: retry attempt 2}, expect: {inside: {$linked: true, name: Invocation}}}]");
        var set = TwoInvocations();
        set.Spans[5] = new CapturedSpan
        {
            TraceId = SpanSet.Trace, SpanId = "00000000000000d2", ParentSpanId = "00000000000000c1", Name = "retry attempt 2",
            Start = SpanSet.At(21), End = SpanSet.At(29.5), Links = [SpanSet.Link("00000000000000b2")], Attributes = set.Spans[5].Attributes,
        };
        Fails(set, "span_assertions: [{select: {name: retry attempt 2}, expect: {inside: {$linked: true, name: Invocation}}}]",
            "must lie within the other span");
    }

    [Fact]
    public void Equal_times_pass_every_timing_rule()
    {
        var set = new SpanSet();
        set.Add("a", "00000000000000a1", null, 0, 5, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        set.Add("b", "00000000000000a2", "00000000000000a1", 5, 5, attributes: [("durable.execution.arn", SpanSet.Arn)]);
        Passes(set, "span_assertions: [{select: {name: b}, expect: {after: {name: a}, parent: {name: a}, inside: {name: a}}}]");
    }
}
