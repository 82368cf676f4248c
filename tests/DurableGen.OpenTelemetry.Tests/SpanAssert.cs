using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;

namespace DurableGen.OpenTelemetry.Tests;

/// <summary>Looks spans up by name and checks the tree rules every trace must keep.</summary>
internal static class SpanAssert
{
    public static Activity Single(IReadOnlyList<Activity> spans, string name) => Assert.Single(spans, s => s.DisplayName == name);

    public static IReadOnlyList<Activity> All(IReadOnlyList<Activity> spans, string name) =>
        spans.Where(s => s.DisplayName == name).OrderBy(s => s.StartTimeUtc).ToList();

    public static void ChildOf(Activity child, Activity parent)
    {
        Assert.Equal(parent.TraceId, child.TraceId);
        Assert.Equal(parent.SpanId, child.ParentSpanId);
        Assert.True(parent.StartTimeUtc <= child.StartTimeUtc && child.StartTimeUtc + child.Duration <= parent.StartTimeUtc + parent.Duration,
            $"{child.DisplayName} [{child.StartTimeUtc:O} +{child.Duration}] lies outside {parent.DisplayName} [{parent.StartTimeUtc:O} +{parent.Duration}]");
    }

    public static void LinksTo(Activity span, Activity target)
    {
        var link = Assert.Single(span.Links);
        Assert.Equal(target.TraceId, link.Context.TraceId);
        Assert.Equal(target.SpanId, link.Context.SpanId);
    }

    public static void Durable(Activity span, params (string Key, object Value)[] expected)
    {
        var actual = span.TagObjects.Where(t => t.Key.StartsWith("durable.", StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal(expected.Select(e => e.Key).Order(), actual.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value, actual[key]);
        }
    }

    /// <summary>One parentless span per trace (the Workflow), every span inside its own times, one span per id.</summary>
    public static void WellFormed(IReadOnlyList<Activity> spans)
    {
        foreach (var trace in spans.GroupBy(s => s.TraceId))
        {
            Assert.True(trace.Count(s => s.ParentSpanId == default) <= 1,
                $"trace {trace.Key} has several roots: {string.Join(", ", trace.Where(s => s.ParentSpanId == default).Select(s => s.DisplayName))}");
        }

        Assert.All(spans, s => Assert.True(s.Kind is ActivityKind.Internal or ActivityKind.Client, $"{s.DisplayName} is {s.Kind}"));
        Assert.Equal(spans.Count, spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
    }
}
