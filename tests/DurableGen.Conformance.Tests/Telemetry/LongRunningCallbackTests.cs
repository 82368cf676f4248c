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
/// The long-running runner's own callback (otel.md §4.7): with no <c>CallbackActions</c>, it sends success
/// (<c>callback-complete</c>) to the first callback once the delay has passed, in both views and at both delays. The
/// requirement is a small one written for this test, bound by its id to the project's otel-long-running-3 handler
/// (scenario <c>long-callback</c>); AWS's requirement
/// files are read from ../shared at run time and never kept here.
/// </summary>
public sealed class LongRunningCallbackTests(ITestOutputHelper output)
{
    private const string Requirement = """
        description: A callback that stays open for the long-running delay, completed by the runner
        Variables:
          LONG_DELAY_SECONDS: 1
        Input:
          scenario: long-callback
          delay_seconds: ${LONG_DELAY_SECONDS}
        AsyncInvoke: true
        ExpectedExecutionHistory:
          - EventId: 1
            EventType: ExecutionStarted
          - EventId: 2
            EventType: ContextStarted
            SubType: WaitForCallback
            Name: otel-long-callback
        ExpectedResult:
          ExecutionStatus: SUCCEEDED
        TelemetryAssertions:
          minimum_invocations: 2
          span_assertions:
            - select:
                name: Workflow
              expect:
                status: OK
        ExecutionTelemetryAssertions:
          minimum_invocations: 2
          span_assertions:
            - select:
                name: Workflow
              expect:
                status: OK
        """;

    [Fact]
    public async Task A_long_callback_without_callback_actions_is_completed_by_the_runner_after_the_delay()
    {
        var dir = Path.Combine(Path.GetTempPath(), "durablegen-otel-long-callback-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "otel-long-running"));
            await File.WriteAllTextAsync(Path.Combine(dir, "otel-long-running", "otel-long-running-3.yaml"), Requirement);

            var report = await ConformanceRun.RunAsync(dir, HandlerCatalog.FromAssemblies([typeof(Handlers.Otel.OtelCase).Assembly]),
                new RunnerOptions { Seed = Environment.TickCount, MaxParallelism = 2 });
            foreach (var result in report.Results)
            {
                output.WriteLine($"{result.Id}: {result.Status} ({result.Invocations} invocations, {result.VirtualSeconds:0} virtual s) {result.Reason}");
            }

            Assert.Equal(4, report.Results.Count); // two views, each at delay 1 and 86400
            Assert.All(report.Results, r => Assert.True(r.Status == ConformanceStatus.Passed, $"{r.Id}: {r.Reason}"));
            Assert.All(report.Results, r => Assert.Equal(2, r.Invocations));
            Assert.All(report.Results.Where(r => r.Id.Contains("delay=86400", StringComparison.Ordinal)),
                r => Assert.InRange(r.VirtualSeconds, 86400, 86400 + 60));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
