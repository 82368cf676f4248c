using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableGen.Conformance.Validation;

/// <summary>
/// Matches <c>ExpectedExecutionHistory</c> against a real history the way the Python runner does: expected events
/// are aligned with actual events by <c>EventId</c> (the only ordering rule), and each expected value is compared
/// with the first applicable rule: <c>{}</c> any; <c>'*'</c> any; whole <c>${/re/}</c> is <c>re.search</c> over
/// <c>str(actual)</c>; whole <c>${NAME}</c> binds on first encounter, then compares; mappings are subset matches
/// that require every expected key; lists need the same length; anything else is Python <c>==</c> after
/// substituting bound names into expected strings. Every error is collected.
/// </summary>
public static class HistoryMatcher
{
    private static readonly Regex WholePlaceholder = new(@"^\$\{(.+)\}$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex WholeRegex = new(@"^\$\{/(.*)/\}$", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    /// <summary>Matches the expected events against <paramref name="actualEvents"/>; returns the errors (empty: match).</summary>
    public static List<string> Match(JsonArray expected, JsonArray actualEvents, PlaceholderContext context)
    {
        var errors = new List<string>();
        var byId = new Dictionary<long, JsonNode?>();
        foreach (var ev in actualEvents)
        {
            if (ev is JsonObject obj && Py.IsNumber(obj["EventId"])
                && long.TryParse(obj["EventId"]!.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                byId[id] = obj;
            }
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i] is not JsonObject exp || !Py.IsNumber(exp["EventId"])
                || !long.TryParse(exp["EventId"]!.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var eventId))
            {
                errors.Add($"ExpectedExecutionHistory[{i}]: every expected event needs an integer EventId");
                continue;
            }

            var path = $"Event[EventId={eventId}]";
            if (!byId.TryGetValue(eventId, out var actual))
            {
                errors.Add($"{path}: no event with this EventId in the actual history ({actualEvents.Count} events)");
                continue;
            }

            MatchValue(exp, actual, path, context, errors);
        }

        return errors;
    }

    /// <summary>Compares one expected value with one actual value (rules 1–7), appending errors.</summary>
    public static void MatchValue(JsonNode? expected, JsonNode? actual, string path, PlaceholderContext context, List<string> errors)
    {
        // 1. {} — any value.
        if (expected is JsonObject { Count: 0 })
        {
            return;
        }

        if (Py.AsString(expected) is { } text)
        {
            // 2. '*' — any value.
            if (text == "*")
            {
                return;
            }

            // 4. ${/pattern/} — re.search over str(actual).
            var regex = WholeRegex.Match(text);
            if (regex.Success)
            {
                var pattern = regex.Groups[1].Value;
                var subject = Py.Str(actual);
                bool found;
                try
                {
                    found = Regex.IsMatch(subject, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"{path}: invalid regex /{pattern}/: {ex.Message}");
                    return;
                }

                if (!found)
                {
                    errors.Add($"{path}: expected value matching regex /{pattern}/, got {Py.Repr(actual)}");
                }

                return;
            }

            // 3. ${NAME} — bind on first encounter, then equality.
            var placeholder = WholePlaceholder.Match(text);
            if (placeholder.Success)
            {
                var name = placeholder.Groups[1].Value;
                if (context.TryGet(name, out var bound))
                {
                    if (!Py.Equal(bound, actual))
                    {
                        errors.Add($"{path}: expected ${{{name}}} = {Py.Repr(bound)}, got {Py.Repr(actual)}");
                    }
                }
                else
                {
                    context.Bind(name, actual);
                }

                return;
            }
        }

        // 5. Mapping — subset match, every expected key must be present.
        if (expected is JsonObject expectedObject && actual is JsonObject actualObject)
        {
            foreach (var (key, value) in expectedObject)
            {
                var childPath = path + "." + key;
                if (!actualObject.TryGetPropertyValue(key, out var actualValue))
                {
                    errors.Add($"{childPath}: key missing");
                    continue;
                }

                MatchValue(value, actualValue, childPath, context, errors);
            }

            return;
        }

        // 6. List — same length, position by position.
        if (expected is JsonArray expectedArray && actual is JsonArray actualArray)
        {
            if (expectedArray.Count != actualArray.Count)
            {
                errors.Add($"{path}: list length mismatch: expected {expectedArray.Count}, got {actualArray.Count}");
                return;
            }

            for (var i = 0; i < expectedArray.Count; i++)
            {
                MatchValue(expectedArray[i], actualArray[i], $"{path}[{i}]", context, errors);
            }

            return;
        }

        // 7. Literal — bound placeholders inside an expected string are substituted first.
        var literal = Py.AsString(expected) is { } s ? JsonValue.Create(context.SubstituteString(s)) : expected;
        if (!Py.Equal(literal, actual))
        {
            errors.Add($"{path}: expected {Py.Repr(literal)}, got {Py.Repr(actual)}");
        }
    }

    /// <summary>
    /// The asynchronous path's name repair: a <c>CallbackStarted</c>, <c>StepStarted</c> or <c>StepSucceeded</c> event
    /// without <c>Name</c> whose parent event (<c>ParentId</c> = that event's <c>Id</c>) has <c>SubType:
    /// WaitForCallback</c> receives the parent's <c>Name</c>. Events are modified in place.
    /// </summary>
    public static void RepairNames(JsonArray events)
    {
        var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var node in events)
        {
            if (node is JsonObject ev && Py.AsString(ev["Id"]) is { } id)
            {
                byId[id] = ev;
            }
        }

        foreach (var node in events)
        {
            if (node is not JsonObject ev || ev.ContainsKey("Name")
                || Py.AsString(ev["EventType"]) is not ("CallbackStarted" or "StepStarted" or "StepSucceeded")
                || Py.AsString(ev["ParentId"]) is not { } parentId
                || !byId.TryGetValue(parentId, out var parent)
                || Py.AsString(parent["SubType"]) != "WaitForCallback"
                || !parent.TryGetPropertyValue("Name", out var parentName))
            {
                continue;
            }

            ev["Name"] = parentName?.DeepClone();
        }
    }

    /// <summary>The execution status the async loop reads: the response's top-level <c>ExecutionStatus</c> if any,
    /// otherwise the last terminal execution event (<c>SUCCEEDED</c>, <c>FAILED</c>, <c>TIMED_OUT</c>,
    /// <c>STOPPED</c>), otherwise null.</summary>
    public static string? TerminalStatus(JsonObject historyResponse)
    {
        if (Py.AsString(historyResponse["ExecutionStatus"]) is { } status)
        {
            return status;
        }

        string? last = null;
        if (historyResponse["Events"] is JsonArray events)
        {
            foreach (var node in events)
            {
                last = Py.AsString(node?["EventType"]) switch
                {
                    "ExecutionSucceeded" => "SUCCEEDED",
                    "ExecutionFailed" => "FAILED",
                    "ExecutionTimedOut" => "TIMED_OUT",
                    "ExecutionCancelled" or "ExecutionStopped" => "STOPPED",
                    _ => last,
                };
            }
        }

        return last;
    }

    /// <summary>True when <paramref name="status"/> is a closed execution status.</summary>
    public static bool IsTerminal(string? status) =>
        status is "SUCCEEDED" or "FAILED" or "TIMED_OUT" or "STOPPED" or "CANCELLED";

    internal static JsonValueKind KindOf(JsonNode? node) => Py.Kind(node);
}
