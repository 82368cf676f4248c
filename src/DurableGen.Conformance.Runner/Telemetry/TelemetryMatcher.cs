using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableGen.Conformance.Validation;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// Value matching of the TelemetryAssertions language (otel.md §4.4): <c>*</c> matches anything, <c>${/re/}</c> is a
/// regex search over <c>str(actual)</c>, <c>{$any_of: [...]}</c> needs one matching alternative, a mapping matches
/// partially (every expected key present and matching), a list needs the same length and matches item by item, any
/// other value is Python <c>==</c>. Span-level matching compares <c>status</c> after normalization.
/// </summary>
public static class TelemetryMatcher
{
    private static readonly Regex WholeRegex = new(@"^\$\{/(.*)/\}$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly ConcurrentDictionary<string, Regex?> Compiled = new(StringComparer.Ordinal);

    /// <summary>The compiled pattern of a <c>${/re/}</c> string, or null when <paramref name="expected"/> is not one
    /// (or does not compile: then nothing matches it).</summary>
    public static string? RegexPattern(JsonNode? expected) =>
        Py.AsString(expected) is { } text && WholeRegex.Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>True when <paramref name="actual"/> satisfies <paramref name="expected"/>.</summary>
    public static bool Matches(JsonNode? expected, JsonNode? actual)
    {
        if (Py.AsString(expected) == "*")
        {
            return true;
        }

        if (RegexPattern(expected) is { } pattern)
        {
            return Search(pattern, actual);
        }

        if (AnyOf(expected) is { } alternatives)
        {
            return alternatives is JsonArray list && list.Count > 0 && list.Any(a => Matches(a, actual));
        }

        if (expected is JsonObject mapping)
        {
            return actual is JsonObject actualMapping && mapping.All(p =>
                actualMapping.TryGetPropertyValue(p.Key, out var value) && Matches(p.Value, value));
        }

        if (expected is JsonArray sequence)
        {
            if (actual is not JsonArray actualSequence || actualSequence.Count != sequence.Count)
            {
                return false;
            }

            for (var i = 0; i < sequence.Count; i++)
            {
                if (!Matches(sequence[i], actualSequence[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return Py.Equal(expected, actual);
    }

    /// <summary>Why <paramref name="actual"/> does not satisfy <paramref name="expected"/>, each error with its path.</summary>
    public static List<string> ExpectationErrors(JsonNode? expected, JsonNode? actual, string path)
    {
        var errors = new List<string>();
        Collect(expected, actual, path, errors);
        return errors;
    }

    /// <summary>A selector or scope mapping against a canonical span: every key present and matching; status normalized.</summary>
    public static bool MatchesSpan(JsonObject selector, JsonObject span)
    {
        foreach (var (key, value) in selector)
        {
            if (!span.TryGetPropertyValue(key, out var actual))
            {
                return false;
            }

            var expected = key == "status" ? SpanNormalizer.NormalizeExpectedStatus(value) : value;
            if (!Matches(expected, actual))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The errors of an expectation mapping against a canonical span (status normalized).</summary>
    public static List<string> SpanExpectationErrors(JsonObject expected, JsonObject span, string path)
    {
        var errors = new List<string>();
        foreach (var (key, value) in expected)
        {
            var childPath = path + "." + key;
            if (!span.TryGetPropertyValue(key, out var actual))
            {
                errors.Add($"{childPath}: property is missing");
                continue;
            }

            Collect(key == "status" ? SpanNormalizer.NormalizeExpectedStatus(value) : value, actual, childPath, errors);
        }

        return errors;
    }

    /// <summary>The alternatives of a <c>{$any_of: …}</c> mapping (any node, validated by the caller), or null.</summary>
    public static JsonNode? AnyOf(JsonNode? expected) =>
        expected is JsonObject { Count: 1 } obj && obj.TryGetPropertyValue("$any_of", out var alternatives)
            ? alternatives ?? new JsonArray()
            : null;

    private static void Collect(JsonNode? expected, JsonNode? actual, string path, List<string> errors)
    {
        if (Py.AsString(expected) == "*")
        {
            return;
        }

        if (RegexPattern(expected) is { } pattern)
        {
            if (!Search(pattern, actual))
            {
                errors.Add($"{path}: value {Py.Repr(actual)} does not match regex pattern {Py.Repr(JsonValue.Create(pattern))}");
            }

            return;
        }

        if (AnyOf(expected) is { } anyOf)
        {
            if (anyOf is not JsonArray alternatives || alternatives.Count == 0)
            {
                errors.Add($"{path}.$any_of: expected a non-empty sequence");
            }
            else if (!alternatives.Any(a => Matches(a, actual)))
            {
                errors.Add($"{path}: value {Py.Repr(actual)} does not match any allowed value {Py.Repr(alternatives)}");
            }

            return;
        }

        if (expected is JsonObject mapping)
        {
            if (actual is not JsonObject actualMapping)
            {
                errors.Add($"{path}: expected a mapping, got {Py.Repr(actual)}");
                return;
            }

            foreach (var (key, value) in mapping)
            {
                var childPath = path + "." + key;
                if (!actualMapping.TryGetPropertyValue(key, out var actualValue))
                {
                    errors.Add($"{childPath}: property is missing");
                    continue;
                }

                Collect(value, actualValue, childPath, errors);
            }

            return;
        }

        if (expected is JsonArray sequence)
        {
            if (actual is not JsonArray actualSequence)
            {
                errors.Add($"{path}: expected a sequence, got {Py.Repr(actual)}");
                return;
            }

            if (actualSequence.Count != sequence.Count)
            {
                errors.Add($"{path}: expected {sequence.Count} item(s), found {actualSequence.Count}");
                return;
            }

            for (var i = 0; i < sequence.Count; i++)
            {
                Collect(sequence[i], actualSequence[i], $"{path}[{i}]", errors);
            }

            return;
        }

        if (!Py.Equal(expected, actual))
        {
            errors.Add($"{path}: expected {Py.Repr(expected)}, got {Py.Repr(actual)}");
        }
    }

    private static bool Search(string pattern, JsonNode? actual)
    {
        var regex = Compiled.GetOrAdd(pattern, p =>
        {
            try
            {
                return new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
        return regex is not null && regex.IsMatch(Py.Str(actual));
    }
}
