using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableGen.Conformance.Validation;

/// <summary>One captured structured log record; <see cref="Sequence"/> orders records (stricter than CloudWatch's
/// timestamp ties, which the design accepts).</summary>
public sealed record LogRecord(long Sequence, JsonObject Fields);

/// <summary>
/// <c>ExpectedLogs</c>: each entry has a non-empty <c>match</c> field map (all fields must match; placeholders
/// substituted first), optionally <c>count</c> or <c>min_count</c>/<c>max_count</c> (none: at least one), and
/// <c>before</c>/<c>after</c> anchors (a map or a list of maps). Field rules: an expected <c>/…/</c> string is a regex
/// searched in the stripped text of the actual value; other strings compare after stripping; booleans by identity;
/// numbers numerically; a missing field never matches. <c>after</c>: no own match earlier than the last match of
/// any anchor; <c>before</c>: no own match later than the first match of any anchor; an anchor that matches nothing
/// is an error.
/// </summary>
public static class LogValidator
{
    /// <summary>Returns the errors (empty: passed).</summary>
    public static List<string> Validate(JsonArray expectedLogs, IReadOnlyList<LogRecord> records, PlaceholderContext context)
    {
        var errors = new List<string>();
        for (var i = 0; i < expectedLogs.Count; i++)
        {
            var label = $"ExpectedLogs[{i}]";
            if (expectedLogs[i] is not JsonObject entry || entry["match"] is not JsonObject { Count: > 0 } rawMatch)
            {
                errors.Add($"{label}: every entry needs a non-empty 'match' mapping");
                continue;
            }

            var match = (JsonObject)context.Substitute(rawMatch)!;
            var own = records.Where(r => Matches(match, r.Fields)).ToList();
            var description = Py.JsonDumps(match);

            var count = ReadInt(entry, "count", label, errors);
            var min = ReadInt(entry, "min_count", label, errors);
            var max = ReadInt(entry, "max_count", label, errors);
            if (count is { } exact)
            {
                if (own.Count != exact)
                {
                    errors.Add($"{label}: expected exactly {exact} log record(s) matching {description}, found {own.Count}");
                }
            }
            else if (min is null && max is null)
            {
                if (own.Count < 1)
                {
                    errors.Add($"{label}: expected at least one log record matching {description}, found none");
                }
            }
            else
            {
                if (min is { } lo && own.Count < lo)
                {
                    errors.Add($"{label}: expected at least {lo} log record(s) matching {description}, found {own.Count}");
                }

                if (max is { } hi && own.Count > hi)
                {
                    errors.Add($"{label}: expected at most {hi} log record(s) matching {description}, found {own.Count}");
                }
            }

            foreach (var anchor in Anchors(entry["after"], $"{label}.after", errors))
            {
                var anchorMatches = records.Where(r => Matches((JsonObject)context.Substitute(anchor)!, r.Fields)).ToList();
                if (anchorMatches.Count == 0)
                {
                    errors.Add($"{label}.after: anchor {Py.JsonDumps(anchor)} matched no log record");
                    continue;
                }

                var last = anchorMatches.Max(r => r.Sequence);
                if (own.Any(r => r.Sequence < last))
                {
                    errors.Add($"{label}: a record matching {description} comes before the last record matching anchor {Py.JsonDumps(anchor)}");
                }
            }

            foreach (var anchor in Anchors(entry["before"], $"{label}.before", errors))
            {
                var anchorMatches = records.Where(r => Matches((JsonObject)context.Substitute(anchor)!, r.Fields)).ToList();
                if (anchorMatches.Count == 0)
                {
                    errors.Add($"{label}.before: anchor {Py.JsonDumps(anchor)} matched no log record");
                    continue;
                }

                var first = anchorMatches.Min(r => r.Sequence);
                if (own.Any(r => r.Sequence > first))
                {
                    errors.Add($"{label}: a record matching {description} comes after the first record matching anchor {Py.JsonDumps(anchor)}");
                }
            }
        }

        return errors;
    }

    /// <summary>True when every expected field matches the record.</summary>
    public static bool Matches(JsonObject match, JsonObject record)
    {
        foreach (var (key, expected) in match)
        {
            if (!record.TryGetPropertyValue(key, out var actual) || !FieldMatches(expected, actual))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One field rule.</summary>
    public static bool FieldMatches(JsonNode? expected, JsonNode? actual)
    {
        switch (Py.Kind(expected))
        {
            case JsonValueKind.String:
                var text = expected!.GetValue<string>();
                var subject = Py.Str(actual).Trim();
                if (text.Length >= 2 && text[0] == '/' && text[^1] == '/')
                {
                    try
                    {
                        return Regex.IsMatch(subject, text[1..^1], RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
                    }
                    catch (ArgumentException)
                    {
                        return false;
                    }
                }

                return Py.IsString(actual) && text.Trim() == subject;
            case JsonValueKind.True:
            case JsonValueKind.False:
                return Py.Kind(actual) == Py.Kind(expected);
            case JsonValueKind.Number:
                return Py.IsNumber(actual) && Py.Equal(expected, actual);
            case JsonValueKind.Null:
                return actual is null;
            default:
                return Py.Equal(expected, actual);
        }
    }

    private static int? ReadInt(JsonObject entry, string key, string label, List<string> errors)
    {
        if (!entry.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (Py.IsNumber(node) && int.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{label}.{key} must be an integer");
        return null;
    }

    private static IEnumerable<JsonObject> Anchors(JsonNode? node, string label, List<string> errors)
    {
        switch (node)
        {
            case null:
                yield break;
            case JsonObject single:
                yield return single;
                yield break;
            case JsonArray list:
                foreach (var item in list)
                {
                    if (item is JsonObject anchor)
                    {
                        yield return anchor;
                    }
                    else
                    {
                        errors.Add($"{label}: every anchor must be a mapping");
                    }
                }

                yield break;
            default:
                errors.Add($"{label}: must be a mapping or a list of mappings");
                yield break;
        }
    }
}
