using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DurableGen.Benchmarks;

/// <summary>
/// Divides a per-invocation figure by the benchmark's <c>N</c> parameter. BenchmarkDotNet's <c>OperationsPerInvoke</c>
/// is a compile-time constant, so it cannot follow a <c>[Params]</c> value; these columns do that division instead.
/// </summary>
public sealed class PerOperationColumn : IColumn
{
    private readonly bool _bytes;

    private PerOperationColumn(bool bytes) => _bytes = bytes;

    /// <summary>Median time per step, in nanoseconds.</summary>
    public static readonly IColumn MedianNanoseconds = new PerOperationColumn(bytes: false);

    /// <summary>Bytes allocated per step.</summary>
    public static readonly IColumn AllocatedBytes = new PerOperationColumn(bytes: true);

    public string Id => _bytes ? "PerOp.Bytes" : "PerOp.Median";

    public string ColumnName => _bytes ? "B/op" : "Median ns/op";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => _bytes ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _bytes
        ? "Bytes allocated per invocation divided by N (per step)"
        : "Median time per invocation divided by N (per step), in nanoseconds";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var n = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value is int value ? value : 1;
        if (report is null)
        {
            return "NA";
        }

        if (_bytes)
        {
            return report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase) is { } bytes
                ? (bytes / (double)n).ToString("N1", CultureInfo.InvariantCulture)
                : "NA";
        }

        return report.ResultStatistics is { } statistics
            ? (statistics.Median / n).ToString("N1", CultureInfo.InvariantCulture)
            : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
