using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Running;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Conformance.Tests.Telemetry;

/// <summary>
/// Every given OpenTelemetry requirement (../shared/conformance-otel) in its views, on the project's handlers, with
/// the pass counts written to the test output. Every handled run passes whole: history, result, callbacks and the
/// spans DurableGen.OpenTelemetry produced, judged by otel.md §4.
/// </summary>
public sealed class OtelSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_handled_otel_requirement_passes_in_each_of_its_views()
    {
        var directory = RequirementsLocator.ResolveTelemetry(null, Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        var report = await ConformanceRun.RunAsync(directory,
            HandlerCatalog.FromAssemblies([typeof(Handlers.Otel.OtelCase).Assembly]),
            new RunnerOptions { Seed = Environment.TickCount, MaxParallelism = 2 });

        foreach (var suite in report.Results.GroupBy(r => r.Suite))
        {
            output.WriteLine($"{suite.Key}: {suite.Count(r => r.Status == ConformanceStatus.Passed)}/{suite.Count()} passed, "
                + $"{suite.Count(r => r.Status == ConformanceStatus.Failed)} failed, {suite.Count(r => r.Status == ConformanceStatus.Uncovered)} without a handler");
        }

        foreach (var result in report.Results.Where(r => r.Status != ConformanceStatus.Passed))
        {
            output.WriteLine($"  {result.Id} {result.Status}: {result.Reason}");
        }

        Assert.Equal(45, report.Results.Count); // 16 + 17 single-view files, 3 long-running files × 2 views × 2 delays
        Assert.All(report.Results.Where(r => r.Status != ConformanceStatus.Uncovered),
            r => Assert.True(r.Status == ConformanceStatus.Passed, $"{r.Id}: {r.Reason}"));
        Assert.Equal(45, report.Results.Count(r => r.Status != ConformanceStatus.Uncovered)); // every given file has its handler
    }
}
