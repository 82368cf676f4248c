using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Running;
using Xunit;

namespace DurableGen.Conformance.Tests.Telemetry;

/// <summary>
/// The runner's telemetry stage end to end without the producer: handlers in this assembly start their own
/// <c>DurableGen.*</c> activities, and requirement files written here (in the otel suites' folder layout) judge them.
/// Shows that the view reaches the handler, spans are captured, assertions are substituted and judged with the
/// <c>OpenTelemetry: </c> prefix, and long-running files run four times on virtual time (a one-day wait included).
/// </summary>
public sealed class TelemetryRunTests
{
    private const string OneStep = """
        Input: null
        ExpectedExecutionHistory:
          - EventId: 2
            EventType: StepStarted
            Name: work
        ExpectedResult:
          ExecutionStatus: SUCCEEDED
          Result: done
        TelemetryAssertions:
          minimum_spans: 2
          require_unique_root_per_trace: true
          require_all_spans: true
          span_assertions:
            - select: {name: Workflow}
              expect: {parent_span_id: null, service_name: '${SERVICE_NAME}', attributes: {durable.execution.arn: '${EXECUTION_ARN}'}}
            - select: {name: Invocation}
              expect: {attributes: {test.view: VIEW}, parent: {name: Workflow}}
        """;

    private const string LongWait = """
        Variables:
          LONG_DELAY_SECONDS: 1
        Input:
          delay_seconds: ${LONG_DELAY_SECONDS}
        AsyncInvoke: true
        ExpectedExecutionHistory:
          - EventId: 2
            EventType: WaitStarted
            Name: long-wait
        ExpectedResult:
          ExecutionStatus: SUCCEEDED
          Result: ${LONG_DELAY_SECONDS}
        TelemetryAssertions:
          span_assertions:
            - select: {name: Invocation, attributes: {test.delay: '${LONG_DELAY_SECONDS}'}}
              count: 2
              expect: {attributes: {test.view: invocation}}
        ExecutionTelemetryAssertions:
          span_assertions:
            - select: {name: Invocation, attributes: {test.delay: '${LONG_DELAY_SECONDS}'}}
              count: 2
              expect: {attributes: {test.view: execution}}
        """;

    private static async Task<JsonArray> RunAsync(params (string Suite, string Id, string Yaml)[] files)
    {
        var dir = Path.Combine(Path.GetTempPath(), "durablegen-otel-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var (suite, id, yaml) in files)
            {
                Directory.CreateDirectory(Path.Combine(dir, suite));
                await File.WriteAllTextAsync(Path.Combine(dir, suite, id + ".yaml"), yaml);
            }

            var json = Path.Combine(dir, "report.json");
            var output = new StringWriter();
            var code = await ConformanceCli.RunAsync(
                ["--otel", "--requirements", dir, "--handlers", typeof(TelemetryRunTests).Assembly.Location, "--report-json", json, "--seed", "1"],
                output, new StringWriter());
            Assert.True(code is 0 or 1, output.ToString());
            return JsonNode.Parse(await File.ReadAllTextAsync(json))!["results"]!.AsArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Status(JsonArray results, string id) =>
        results.Single(r => r!["id"]!.GetValue<string>() == id)!["status"]!.GetValue<string>();

    [Fact]
    public async Task Each_view_is_told_to_the_handler_and_judged_on_the_captured_spans()
    {
        var results = await RunAsync(
            ("otel-invocation", "otel-invocation-99", OneStep.Replace("VIEW", "invocation", StringComparison.Ordinal)),
            ("otel-execution", "otel-execution-99", OneStep.Replace("VIEW", "execution", StringComparison.Ordinal)),
            ("otel-execution", "otel-execution-98", OneStep.Replace("VIEW", "invocation", StringComparison.Ordinal)));

        Assert.Equal("PASSED", Status(results, "otel-invocation-99"));
        Assert.Equal("PASSED", Status(results, "otel-execution-99"));
        Assert.Equal("FAILED", Status(results, "otel-execution-98"));
        var reason = results.Single(r => r!["id"]!.GetValue<string>() == "otel-execution-98")!["reason"]!.GetValue<string>();
        Assert.StartsWith("OpenTelemetry: span_assertions[1].expect.attributes.test.view: expected 'invocation', got 'execution'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_running_files_run_in_both_views_with_a_second_and_a_day_of_virtual_time()
    {
        var watch = Stopwatch.StartNew();
        var results = await RunAsync(("otel-long-running", "otel-long-running-99", LongWait));
        Assert.Equal(
            ["otel-long-running-99[invocation,delay=1]", "otel-long-running-99[invocation,delay=86400]",
             "otel-long-running-99[execution,delay=1]", "otel-long-running-99[execution,delay=86400]"],
            results.Select(r => r!["id"]!.GetValue<string>()));
        Assert.All(results, r => Assert.True(r!["status"]!.GetValue<string>() == "PASSED", r.ToJsonString()));
        Assert.All(results.Where(r => r!["id"]!.GetValue<string>().Contains("delay=86400", StringComparison.Ordinal)),
            r => Assert.InRange(r!["virtual_seconds"]!.GetValue<double>(), 86400, 86400 + 60)); // a day passed, and no more
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"virtual time: took {watch.Elapsed}");
    }
}

/// <summary><c>--otel --list</c> over the given requirement files: what would run, in which view, and which handler.</summary>
public sealed class TelemetryListTests
{
    [Fact]
    public async Task List_names_every_run_with_its_view_delay_and_handler_and_runs_nothing()
    {
        var output = new StringWriter();
        var code = await ConformanceCli.RunAsync(
            ["--otel", "--list", "--handlers", typeof(TelemetryRunTests).Assembly.Location, "--id", "otel-execution-3,otel-long-running-2,otel-execution-99"],
            output, new StringWriter());
        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"^otel-execution-3 +otel-execution +view=execution -> UNCOVERED \(no handler\)$", lines[0]);
        Assert.Matches(@"^otel-long-running-2\[execution,delay=86400\] +otel-long-running +view=execution delay=86400 -> UNCOVERED", lines[4]);
        Assert.Equal("5 run(s) from 2 file(s); 0 with a handler, 5 without.", lines[5]);
    }
}

/// <summary>Starts a Workflow root and an Invocation under it on a <c>DurableGen.*</c> source, telling the view it was
/// given; stands in for the OpenTelemetry plugin so the runner's telemetry stage can be tested alone.</summary>
[Conformance("otel-invocation-99", "otel-execution-99", "otel-execution-98")]
public sealed class SpansByHand : IConformanceCase<JsonNode?, string>
{
    internal static readonly ActivitySource Source = new("DurableGen.ConformanceTests");

    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.StepAsync((_, _) => Task.FromResult("done"), "work");
        Activity.Current = null; // the Workflow is a root
        using (var workflow = Source.StartActivity("Workflow", ActivityKind.Internal, parentContext: default))
        {
            workflow?.SetTag("durable.execution.arn", env.ExecutionArn);
            using var invocation = Source.StartActivity("Invocation");
            invocation?.SetTag("durable.execution.arn", env.ExecutionArn);
            invocation?.SetTag("test.view", env.TelemetryView);
        }

        return result;
    }
}

/// <summary>Waits <c>delay_seconds</c> (a string, as the long-running Variables arrive) and emits an Invocation span per
/// invocation carrying the view and the delay.</summary>
[Conformance("otel-long-running-99")]
public sealed class LongWaitByHand : IConformanceCase<JsonObject, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonObject input, IDurableContext context, IConformanceEnv env)
    {
        var delay = input["delay_seconds"]!.GetValue<string>();
        Activity.Current = null;
        using (var invocation = SpansByHand.Source.StartActivity("Invocation", ActivityKind.Internal, parentContext: default))
        {
            invocation?.SetTag("durable.execution.arn", env.ExecutionArn);
            invocation?.SetTag("test.view", env.TelemetryView);
            invocation?.SetTag("test.delay", delay);
        }

        await context.WaitAsync(TimeSpan.FromSeconds(int.Parse(delay, CultureInfo.InvariantCulture)), "long-wait");
        return delay;
    }
}
