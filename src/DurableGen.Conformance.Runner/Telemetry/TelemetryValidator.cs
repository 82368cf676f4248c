using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Validation;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// Judges an assembled trace against one substituted <c>TelemetryAssertions</c> mapping exactly as otel.md §4.5–§4.6
/// describe <c>validate_trace</c>: <c>minimum_spans</c>, <c>require_unique_root_per_trace</c>, start ≤ end for every span,
/// execution correlation and <c>allowed_execution_arns</c>, <c>minimum_invocations</c>, then the span assertions in order
/// (selection consumes spans; <c>count</c>; properties; <c>exact_attribute_prefixes</c>; <c>parent</c> with containment
/// unless <c>$allow_outside</c>; <c>links</c> with <c>count</c> and <c>$occurrence</c>; <c>before</c>/<c>after</c>/<c>inside</c>
/// with <c>$linked</c>) and finally <c>require_all_spans</c> over <c>span_assertion_scope</c>. Every error is collected;
/// each names the assertion (its path) and why it failed.
/// </summary>
public static class TelemetryValidator
{
    /// <summary>The attributes whose values correlate a span with an execution.</summary>
    public static readonly IReadOnlyList<string> CorrelationKeys =
        ["aws.lambda.durable_execution.arn", "durable.execution.arn", "durable_execution_arn"];

    private static readonly HashSet<string> AssertionKeys = new(StringComparer.Ordinal) { "select", "expect", "count" };
    private static readonly HashSet<string> RelationKeys = new(StringComparer.Ordinal) { "before", "after", "inside" };
    private static readonly HashSet<string> SpecialExpectKeys = new(StringComparer.Ordinal) { "links", "parent", "before", "after", "inside" };

    /// <summary>Validates <paramref name="trace"/>; an empty list means it conforms.</summary>
    public static List<string> Validate(AssembledTrace trace, JsonObject assertions, string executionArn)
    {
        var errors = new List<string>();
        var spans = trace.Spans;

        if (ReadInt(assertions, "minimum_spans", 1, errors) is var minimumSpans && spans.Count < minimumSpans)
        {
            errors.Add($"Expected at least {minimumSpans} span(s), found {spans.Count}");
        }

        if (assertions.TryGetPropertyValue("require_unique_root_per_trace", out var uniqueRoot))
        {
            if (!Py.IsBool(uniqueRoot))
            {
                errors.Add("require_unique_root_per_trace must be a boolean");
            }
            else if (uniqueRoot!.GetValue<bool>())
            {
                foreach (var group in spans.Where(s => s.ParentSpanId is null).GroupBy(s => s.TraceId, StringComparer.Ordinal))
                {
                    var roots = group.GroupBy(s => s.SpanId, StringComparer.Ordinal).Select(g => g.First()).ToList();
                    if (roots.Count > 1)
                    {
                        errors.Add($"Trace {group.Key} has {roots.Count} root spans; at most one is allowed: {string.Join(", ", roots)}");
                    }
                }
            }
        }

        foreach (var span in spans.Where(s => s.Start > s.End))
        {
            errors.Add($"Span {span} ends before it starts ({CapturedSpan.IsoFormat(span.Start)} > {CapturedSpan.IsoFormat(span.End)})");
        }

        if (!assertions.TryGetPropertyValue("require_execution_correlation", out var correlation) || Truthy(correlation))
        {
            CheckCorrelation(spans, assertions, executionArn, errors);
        }

        var minimumInvocations = ReadInt(assertions, "minimum_invocations", 1, errors);
        if (minimumInvocations > 1)
        {
            var invocations = spans.Count(s =>
                s.Name.ToLowerInvariant() == "invocation" && s.Attributes.ContainsKey("durable.invocation.first"));
            if (invocations < minimumInvocations)
            {
                errors.Add($"Expected at least {minimumInvocations} invocation span(s), found {invocations}");
            }
        }

        var prefixes = ReadPrefixes(assertions["exact_attribute_prefixes"], errors);
        var scopes = ReadScopes(assertions, errors);
        var requireAll = assertions.TryGetPropertyValue("require_all_spans", out var all) && Truthy(all);
        new SpanAssertions(spans, prefixes, errors).Run(assertions["span_assertions"], requireAll, scopes);
        return errors;
    }

    /// <summary>The values of <c>allowed_execution_arns</c> (a string or a list of strings), or null when absent or malformed.</summary>
    public static IReadOnlyList<string>? AllowedArns(JsonNode? node) => node switch
    {
        null => null,
        JsonArray list when list.All(Py.IsString) => list.Select(n => n!.GetValue<string>()).ToList(),
        _ when Py.AsString(node) is { } single => [single],
        _ => null,
    };

    private static void CheckCorrelation(IReadOnlyList<CapturedSpan> spans, JsonObject assertions, string executionArn,
        List<string> errors)
    {
        var values = spans
            .SelectMany(s => CorrelationKeys.Where(s.Attributes.ContainsKey).Select(k => Py.Str(s.Attributes[k]).ToLowerInvariant()))
            .ToList();
        if (!values.Contains(executionArn.ToLowerInvariant()))
        {
            errors.Add($"No span carries the durable execution ARN in a supported correlation attribute ({string.Join(", ", CorrelationKeys)})");
        }

        HashSet<string> allowed;
        if (!assertions.TryGetPropertyValue("allowed_execution_arns", out var raw))
        {
            allowed = [executionArn.ToLowerInvariant()];
        }
        else if (AllowedArns(raw) is { } list)
        {
            allowed = list.Select(a => a.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        }
        else
        {
            errors.Add("allowed_execution_arns must be a string or sequence of strings");
            return;
        }

        var foreign = values.Where(v => !allowed.Contains(v)).Distinct(StringComparer.Ordinal).ToList();
        if (foreign.Count > 0)
        {
            errors.Add($"Spans carry execution ARN(s) outside allowed_execution_arns: {string.Join(", ", foreign)}");
        }
    }

    private static int ReadInt(JsonObject assertions, string key, int fallback, List<string> errors)
    {
        if (!assertions.TryGetPropertyValue(key, out var node) || node is null)
        {
            return fallback;
        }

        if (Py.IsNumber(node) && int.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        if (Py.AsString(node) is { } text && int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return value;
        }

        errors.Add($"{key} must be an integer, got {Py.Repr(node)}");
        return fallback;
    }

    private static List<string> ReadPrefixes(JsonNode? node, List<string> errors)
    {
        switch (node)
        {
            case null:
                return [];
            case JsonArray list when list.All(Py.IsString):
                return list.Select(n => n!.GetValue<string>()).ToList();
            default:
                if (Py.AsString(node) is { } single)
                {
                    return [single];
                }

                errors.Add("exact_attribute_prefixes must be a string or sequence of strings");
                return [];
        }
    }

    private static List<JsonObject> ReadScopes(JsonObject assertions, List<string> errors)
    {
        switch (assertions["span_assertion_scope"])
        {
            case null:
                return [new JsonObject()];
            case JsonObject single:
                return [single];
            case JsonArray list when list.All(n => n is JsonObject):
                return list.Count == 0 ? [new JsonObject()] : list.Cast<JsonObject>().ToList();
            default:
                errors.Add("span_assertion_scope must be a mapping or sequence of mappings");
                return [new JsonObject()];
        }
    }

    private static bool Truthy(JsonNode? node) => Py.Kind(node) switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => false,
        JsonValueKind.Number => Py.Str(node) is not ("0" or "0.0"),
        JsonValueKind.String => node!.GetValue<string>().Length > 0,
        JsonValueKind.Array => node!.AsArray().Count > 0,
        JsonValueKind.Object => node!.AsObject().Count > 0,
        _ => false,
    };

    /// <summary>One pass over <c>span_assertions</c>: the canonical spans, what each assertion consumed, the errors.</summary>
    private sealed class SpanAssertions
    {
        private readonly IReadOnlyList<CapturedSpan> _spans;
        private readonly List<JsonObject> _canonical;
        private readonly List<string> _prefixes;
        private readonly List<string> _errors;
        private readonly bool[] _consumed;

        public SpanAssertions(IReadOnlyList<CapturedSpan> spans, List<string> prefixes, List<string> errors)
        {
            _spans = spans;
            _canonical = spans.Select(s => s.ToCanonical()).ToList();
            _prefixes = prefixes;
            _errors = errors;
            _consumed = new bool[spans.Count];
        }

        public void Run(JsonNode? raw, bool requireAll, List<JsonObject> scopes)
        {
            List<JsonNode?> assertions;
            switch (raw)
            {
                case null:
                    assertions = [];
                    break;
                case JsonObject single:
                    assertions = [single];
                    break;
                case JsonArray list:
                    assertions = list.ToList();
                    break;
                default:
                    _errors.Add("span_assertions must be a mapping or sequence of mappings");
                    return;
            }

            for (var i = 0; i < assertions.Count; i++)
            {
                RunOne(assertions[i], $"span_assertions[{i}]");
            }

            if (requireAll)
            {
                var uncovered = Enumerable.Range(0, _spans.Count)
                    .Where(i => !_consumed[i] && scopes.Any(scope => TelemetryMatcher.MatchesSpan(scope, _canonical[i])))
                    .Select(i => _spans[i].ToString())
                    .ToList();
                if (uncovered.Count > 0)
                {
                    _errors.Add("Span assertions did not cover: " + string.Join(", ", uncovered));
                }
            }
        }

        private void RunOne(JsonNode? node, string path)
        {
            if (node is not JsonObject assertion)
            {
                _errors.Add($"{path} must be a mapping");
                return;
            }

            var unknown = assertion.Select(p => p.Key).Where(k => !AssertionKeys.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                _errors.Add($"{path} has unknown field(s): {string.Join(", ", unknown)}");
                return;
            }

            var selector = assertion.TryGetPropertyValue("select", out var s) ? s : new JsonObject();
            if (selector is not JsonObject select)
            {
                _errors.Add($"{path}.select must be a mapping");
                return;
            }

            if (assertion["expect"] is not JsonObject expect)
            {
                _errors.Add($"{path}.expect must be a mapping");
                return;
            }

            if (ReadCount(assertion, path) is not { } counts)
            {
                return;
            }

            var matches = Enumerable.Range(0, _spans.Count)
                .Where(i => !_consumed[i] && TelemetryMatcher.MatchesSpan(select, _canonical[i]))
                .ToList();
            foreach (var i in matches)
            {
                _consumed[i] = true;
            }

            if (!counts.Contains(matches.Count))
            {
                var single = counts.Count == 1 && counts[0] == 1;
                _errors.Add(matches.Count == 0 && single
                    ? $"{path}.select matched no spans (select {Py.Repr(select)})"
                    : single
                        ? $"{path}.select matched {matches.Count} spans; it must select exactly one: {string.Join(", ", matches.Select(i => _spans[i]))}"
                        : $"{path}.select matched {matches.Count} spans; expected {string.Join(" or ", counts)}");
                return;
            }

            var many = matches.Count > 1 || !(counts.Count == 1 && counts[0] == 1);
            for (var m = 0; m < matches.Count; m++)
            {
                var index = matches[m];
                var expectPath = many ? $"{path}.expect[{m}]" : $"{path}.expect";
                var found = new List<string>();
                CheckExpectation(expect, index, expectPath, found);
                _errors.AddRange(found.Select(e => $"{e} (span {_spans[index]})"));
            }
        }

        private List<int>? ReadCount(JsonObject assertion, string path)
        {
            if (!assertion.TryGetPropertyValue("count", out var count))
            {
                return [1];
            }

            if (PositiveInt(count) is { } n)
            {
                return [n];
            }

            if (TelemetryMatcher.AnyOf(count) is JsonArray { Count: > 0 } alternatives
                && alternatives.Select(PositiveInt).ToList() is var values && values.All(v => v is not null))
            {
                return values.Select(v => v!.Value).ToList();
            }

            _errors.Add($"{path}.count must be a positive integer or {{$any_of: [positive integers]}}, got {Py.Repr(count)}");
            return null;
        }

        private static int? PositiveInt(JsonNode? node) =>
            Py.IsNumber(node) && int.TryParse(node!.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n
                : null;

        private void CheckExpectation(JsonObject expect, int index, string path, List<string> errors)
        {
            var span = _spans[index];
            var canonical = _canonical[index];
            var properties = new JsonObject();
            foreach (var (key, value) in expect)
            {
                if (!SpecialExpectKeys.Contains(key))
                {
                    properties[key] = value?.DeepClone();
                }
            }

            errors.AddRange(TelemetryMatcher.SpanExpectationErrors(properties, canonical, path));

            if (_prefixes.Count > 0 && expect["attributes"] is JsonObject expectedAttributes)
            {
                foreach (var prefix in _prefixes)
                {
                    var expectedKeys = expectedAttributes.Select(p => p.Key).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
                    var actualKeys = span.Attributes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
                    if (!expectedKeys.SequenceEqual(actualKeys, StringComparer.Ordinal))
                    {
                        var missing = expectedKeys.Except(actualKeys, StringComparer.Ordinal).ToList();
                        var extra = actualKeys.Except(expectedKeys, StringComparer.Ordinal).ToList();
                        errors.Add($"{path}.attributes: expected exactly the '{prefix}' attribute keys [{string.Join(", ", expectedKeys)}], found [{string.Join(", ", actualKeys)}]"
                            + (missing.Count > 0 ? $"; missing {string.Join(", ", missing)}" : "")
                            + (extra.Count > 0 ? $"; unexpected {string.Join(", ", extra)}" : ""));
                    }
                }
            }

            if (expect.TryGetPropertyValue("parent", out var parent))
            {
                CheckParent(parent, index, path + ".parent", errors);
            }

            if (expect.TryGetPropertyValue("links", out var links))
            {
                errors.AddRange(LinkErrors(links, index, path + ".links"));
            }

            foreach (var (key, value) in expect.Where(p => RelationKeys.Contains(p.Key)))
            {
                CheckRelation(key, value, index, $"{path}.{key}", errors);
            }
        }

        private void CheckParent(JsonNode? node, int index, string path, List<string> errors)
        {
            if (node is not JsonObject expected)
            {
                errors.Add($"{path} must be a mapping");
                return;
            }

            var selector = WithoutKey(expected, "$allow_outside", out var allowOutsideNode, out var hasAllowOutside);
            if (hasAllowOutside && !(Py.Kind(allowOutsideNode) == JsonValueKind.True))
            {
                errors.Add($"{path}.$allow_outside must be true, got {Py.Repr(allowOutsideNode)}");
                return;
            }

            var child = _spans[index];
            if (child.ParentSpanId is null)
            {
                errors.Add($"{path}: selected span has no parent");
                return;
            }

            var candidates = Enumerable.Range(0, _spans.Count)
                .Where(i => _spans[i].SpanId == child.ParentSpanId && _spans[i].TraceId == child.TraceId)
                .ToList();
            if (candidates.Count == 0)
            {
                errors.Add($"{path}: parent span is not present in the trace (parent span id {child.ParentSpanId})");
                return;
            }

            var candidateErrors = candidates.Select(i => TelemetryMatcher.SpanExpectationErrors(selector, _canonical[i], path)).ToList();
            var matching = candidates.Where((_, k) => candidateErrors[k].Count == 0).ToList();
            if (matching.Count == 0)
            {
                if (candidates.Count == 1)
                {
                    errors.AddRange(candidateErrors[0].Select(e => $"{e} (parent {_spans[candidates[0]]})"));
                }
                else
                {
                    errors.Add($"{path}: parent span id matched {candidates.Count} spans; none matched the expected parent");
                }

                return;
            }

            if (!hasAllowOutside && !matching.Any(i => Contains(_spans[i], child)))
            {
                var p = _spans[matching[0]];
                errors.Add($"{path}: the span [{CapturedSpan.IsoFormat(child.Start)} .. {CapturedSpan.IsoFormat(child.End)}] lies outside its parent {p} [{CapturedSpan.IsoFormat(p.Start)} .. {CapturedSpan.IsoFormat(p.End)}]");
            }
        }

        private List<string> LinkErrors(JsonNode? expected, int index, string path)
        {
            if (TelemetryMatcher.AnyOf(expected) is { } anyOf)
            {
                if (anyOf is not JsonArray alternatives || alternatives.Count == 0)
                {
                    return [$"{path}.$any_of: expected a non-empty sequence"];
                }

                return alternatives.Any(a => LinkErrors(a, index, path).Count == 0)
                    ? []
                    : [$"{path}: linked spans do not match any allowed value"];
            }

            if (expected is not JsonArray items)
            {
                return [$"{path} must be a sequence"];
            }

            var links = _spans[index].Links;
            if (items.Count != links.Count)
            {
                return [$"{path}: expected {items.Count} link(s), found {links.Count}"];
            }

            var errors = new List<string>();
            for (var k = 0; k < items.Count; k++)
            {
                CheckLink(items[k], links[k], $"{path}[{k}]", errors);
            }

            return errors;
        }

        private void CheckLink(JsonNode? node, SpanLinkRef link, string path, List<string> errors)
        {
            if (node is not JsonObject item)
            {
                errors.Add($"{path} must be a mapping");
                return;
            }

            var properties = WithoutKey(WithoutKey(item, "count", out var countNode, out var hasCount), "$occurrence", out var occurrenceNode, out var hasOccurrence);
            var count = 1;
            if (hasCount)
            {
                if (Py.Kind(countNode) != JsonValueKind.Number || !int.TryParse(countNode!.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 0)
                {
                    errors.Add($"{path}.count must be a non-negative integer, got {Py.Repr(countNode)}");
                    return;
                }
            }

            int? occurrence = null;
            if (hasOccurrence)
            {
                if (PositiveInt(occurrenceNode) is not { } k)
                {
                    errors.Add($"{path}.$occurrence must be a positive integer, got {Py.Repr(occurrenceNode)}");
                    return;
                }

                occurrence = k;
            }

            var linked = Enumerable.Range(0, _spans.Count)
                .Where(i => _spans[i].TraceId == link.TraceId && _spans[i].SpanId == link.SpanId)
                .ToList();
            if (linked.Count == 0)
            {
                errors.Add($"{path}: linked span is not present in the trace (trace {link.TraceId}, span {link.SpanId})");
                return;
            }

            var candidateErrors = linked.Select(i => TelemetryMatcher.SpanExpectationErrors(properties, _canonical[i], path)).ToList();
            var matching = candidateErrors.Count(e => e.Count == 0);
            if (matching != count)
            {
                if (linked.Count == 1 && count == 1)
                {
                    errors.AddRange(candidateErrors[0].Select(e => $"{e} (linked {_spans[linked[0]]})"));
                }
                else
                {
                    errors.Add($"{path}: the linked span id {link.SpanId} has {linked.Count} export(s), {matching} matching the expectation; expected {count}");
                }

                return;
            }

            if (occurrence is { } wanted)
            {
                var ordered = Enumerable.Range(0, _spans.Count)
                    .Where(i => TelemetryMatcher.SpanExpectationErrors(properties, _canonical[i], path).Count == 0)
                    .Select(i => _spans[i])
                    .DistinctBy(s => (s.TraceId, s.SpanId))
                    .OrderBy(s => s.Start).ThenBy(s => s.End)
                    .ThenBy(s => s.TraceId, StringComparer.Ordinal).ThenBy(s => s.SpanId, StringComparer.Ordinal)
                    .ToList();
                if (wanted > ordered.Count)
                {
                    errors.Add($"{path}.$occurrence: only {ordered.Count} span(s) match the link expectation; occurrence {wanted} does not exist");
                    return;
                }

                var target = ordered[wanted - 1];
                if (target.TraceId != link.TraceId || target.SpanId != link.SpanId)
                {
                    var actual = ordered.FindIndex(s => s.TraceId == link.TraceId && s.SpanId == link.SpanId) + 1;
                    errors.Add($"{path}.$occurrence: the link points to occurrence {actual} of {ordered.Count} ({_spans[linked[0]]}), expected occurrence {wanted} ({target})");
                }
            }
        }

        private void CheckRelation(string key, JsonNode? node, int index, string path, List<string> errors)
        {
            if (node is not JsonObject relation)
            {
                errors.Add($"{path} must be a mapping");
                return;
            }

            var selector = WithoutKey(relation, "$linked", out var linkedNode, out var hasLinked);
            if (hasLinked && Py.Kind(linkedNode) is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{path}.$linked must be a boolean, got {Py.Repr(linkedNode)}");
                return;
            }

            var span = _spans[index];
            var onlyLinked = hasLinked && linkedNode!.GetValue<bool>();
            var others = Enumerable.Range(0, _spans.Count)
                .Where(i => i != index)
                .Where(i => !onlyLinked || span.Links.Any(l => l.TraceId == _spans[i].TraceId && l.SpanId == _spans[i].SpanId))
                .Where(i => TelemetryMatcher.MatchesSpan(selector, _canonical[i]))
                .ToList();
            if (others.Count != 1)
            {
                errors.Add($"{path}: the selector matched {others.Count} span(s){(onlyLinked ? " among the linked spans" : "")}; it must match exactly one (selector {Py.Repr(selector)})"
                    + (others.Count > 1 ? ": " + string.Join(", ", others.Select(i => _spans[i])) : ""));
                return;
            }

            var other = _spans[others[0]];
            var ok = key switch
            {
                "before" => span.End <= other.Start,
                "after" => other.End <= span.Start,
                _ => other.Start <= span.Start && span.End <= other.End,
            };
            if (!ok)
            {
                var rule = key switch
                {
                    "before" => "end at or before the other span's start",
                    "after" => "start at or after the other span's end",
                    _ => "lie within the other span",
                };
                errors.Add($"{path}: the span [{CapturedSpan.IsoFormat(span.Start)} .. {CapturedSpan.IsoFormat(span.End)}] must {rule}: {other} [{CapturedSpan.IsoFormat(other.Start)} .. {CapturedSpan.IsoFormat(other.End)}]");
            }
        }

        private static bool Contains(CapturedSpan parent, CapturedSpan child) => parent.Start <= child.Start && child.End <= parent.End;

        private static JsonObject WithoutKey(JsonObject source, string key, out JsonNode? value, out bool present)
        {
            present = source.TryGetPropertyValue(key, out value);
            var copy = new JsonObject();
            foreach (var (k, v) in source)
            {
                if (k != key)
                {
                    copy[k] = v?.DeepClone();
                }
            }

            return copy;
        }
    }
}
