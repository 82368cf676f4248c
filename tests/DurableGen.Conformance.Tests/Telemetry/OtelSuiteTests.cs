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
/// the pass counts written to the test output. Until the tracing plugin is registered by the handlers, a run may fail
/// only in its telemetry stage: history, result and callbacks of every handled scenario must already pass.
/// </summary>
public sealed class OtelSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_given_otel_requirement_runs_in_its_views_and_fails_only_for_telemetry()
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
        Assert.All(report.Results.Where(r => r.Status == ConformanceStatus.Failed),
            r => Assert.True(r.Errors.All(e => e.StartsWith("OpenTelemetry: ", StringComparison.Ordinal)), $"{r.Id}: {r.Reason}"));
        Assert.True(report.Results.Count(r => r.Status != ConformanceStatus.Uncovered) >= 22, "the handled scenarios run");
    }
}
