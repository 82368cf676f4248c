using System;
using System.Collections.Generic;
using System.Linq;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// Builds the trace one execution is judged on from everything captured (otel.md §4.2, <c>matching_trace</c>): the
/// candidate traces hold a span whose <c>durable.execution.arn</c> is the ARN; the primary one is the candidate with a
/// <c>Workflow</c> span of that ARN, else the first; every span of the primary trace is taken (ambient and HTTP spans
/// too), and from the other traces only the spans whose ARN is the execution's or an allowed one.
/// </summary>
public static class TraceAssembler
{
    /// <summary>The assembled trace, or null when no captured span carries <paramref name="executionArn"/>.</summary>
    /// <param name="spans">Every captured span, in export order (trace order follows first appearance).</param>
    /// <param name="executionArn">The execution's ARN.</param>
    /// <param name="allowedExecutionArns">Further correlated ARNs (<c>allowed_execution_arns</c>, substituted).</param>
    public static AssembledTrace? Assemble(IEnumerable<CapturedSpan> spans, string executionArn,
        IEnumerable<string>? allowedExecutionArns = null)
    {
        var traces = spans.GroupBy(s => s.TraceId, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var candidates = traces.Where(t => t.Any(s => s.ExecutionArn == executionArn)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var primary = candidates.FirstOrDefault(t => t.Any(s => s.Name == "Workflow" && s.ExecutionArn == executionArn))
            ?? candidates[0];
        var correlated = new HashSet<string>(StringComparer.Ordinal) { executionArn };
        correlated.UnionWith(allowedExecutionArns ?? []);

        var taken = new List<CapturedSpan>(primary);
        foreach (var trace in traces)
        {
            if (!ReferenceEquals(trace, primary) && trace.Any(s => s.ExecutionArn is { } a && correlated.Contains(a)))
            {
                taken.AddRange(trace.Where(s => s.ExecutionArn is { } a && correlated.Contains(a)));
            }
        }

        return new AssembledTrace(primary[0].TraceId, taken);
    }
}
