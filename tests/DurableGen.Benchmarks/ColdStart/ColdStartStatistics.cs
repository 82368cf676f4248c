using System;
using System.Collections.Generic;
using System.Linq;

namespace DurableGen.Benchmarks;

/// <summary>One measured start: process start to the first response post, split at the first <c>next</c> call.</summary>
/// <param name="TotalMs">Process.Start to the response post's arrival.</param>
/// <param name="InitMs">Process.Start to the first <c>next</c> call's arrival: the runtime's initialization.</param>
/// <param name="InvokeMs">First <c>next</c> to the response post: serving the invocation.</param>
internal sealed record ColdStartTiming(double TotalMs, double InitMs, double InvokeMs);

/// <summary>The summary figures of one variant's runs.</summary>
internal sealed record ColdStartSummary(double Median, double P90, double Min, double Max, double InitMedian, double InvokeMedian)
{
    /// <summary>Summarizes <paramref name="timings"/> (at least one).</summary>
    public static ColdStartSummary Of(IReadOnlyList<ColdStartTiming> timings)
    {
        var totals = timings.Select(t => t.TotalMs).Order().ToArray();
        return new ColdStartSummary(Measurement.Median(totals), Measurement.Percentile(totals, 0.9), totals[0], totals[^1],
            Measurement.Median(timings.Select(t => t.InitMs)), Measurement.Median(timings.Select(t => t.InvokeMs)));
    }
}
