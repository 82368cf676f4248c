using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Hosting;
using DurableGen.Conformance.Running;
using Xunit;

namespace DurableGen.Conformance.Tests;

/// <summary>
/// The whole suite again on the HTTP local service (<see cref="ConformanceHostKind.Http"/>): each requirement on its
/// own service on 127.0.0.1, its functions run by the runtime's Runtime API loop, checkpoints and management calls over
/// HTTP. Same pass rule as <see cref="RequirementSuiteTests"/>: a behaviour in one host and not the other is a bug.
/// </summary>
public sealed class HttpRequirementSuiteTests
{
    private static readonly Lazy<Task<RunReport>> Report = new(() => ConformanceRun.RunAsync(
        RequirementSuiteTests.Folder.Value.Directory!,
        HandlerCatalog.FromAssemblies([typeof(Handlers.Step.StepBasic).Assembly]),
        new RunnerOptions
        {
            ArtifactsDirectory = Path.Combine(AppContext.BaseDirectory, "conformance-artifacts-http"),
            Seed = Environment.TickCount,
            Host = ConformanceHostKind.Http,
            // Requirements wait on HTTP round trips rather than the CPU: more of them at once than cores.
            MaxParallelism = Math.Max(4, 2 * Environment.ProcessorCount),
        }), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every requirement id (suite/id), or the missing-folder marker.</summary>
    public static IEnumerable<object[]> Ids() => RequirementSuiteTests.Ids();

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Requirement_passes_over_http_or_is_a_declared_gap(string key)
    {
        Assert.True(key != RequirementSuiteTests.MissingFolder,
            "The conformance requirements could not be run: " + RequirementSuiteTests.Folder.Value.Error);
        RequirementSuiteTests.AssertPassesOrIsADeclaredGap(await Report.Value, key);
    }

    [Fact]
    public async Task A_crashed_sandbox_is_recorded_as_a_runtime_exit_and_the_step_retried()
    {
        // 1-18 crashes its process in the first attempt of a step: over HTTP the sandbox's loop stops, its calls are
        // fenced, and the service records Runtime.ExitError for the invocation it held.
        var report = await Report.Value;
        var result = report.Results.Single(r => r.Id == "1-18");
        Assert.Equal(ConformanceStatus.Passed, result.Status);
        var history = File.ReadAllText(result.ArtifactPath!);
        Assert.Contains("Runtime.ExitError", history, StringComparison.Ordinal);
        Assert.True(result.Invocations >= 2, $"the crashed invocation and its retry ran ({result.Invocations})");
    }

    [Fact]
    public async Task Cli_runs_requirements_on_the_http_host()
    {
        if (RequirementSuiteTests.Folder.Value.Directory is not { } directory)
        {
            Assert.Fail("The conformance requirements could not be run: " + RequirementSuiteTests.Folder.Value.Error);
            return;
        }

        var output = new StringWriter();
        var handlers = typeof(Handlers.Step.StepBasic).Assembly.Location;
        var code = await ConformanceCli.RunAsync(
            ["--requirements", directory, "--handlers", handlers, "--host", "http", "--id", "1-18,2-2", "--seed", "3"],
            output, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("2 PASSED", output.ToString(), StringComparison.Ordinal);

        var error = new StringWriter();
        Assert.Equal(2, await ConformanceCli.RunAsync(["--host", "carrier-pigeon"], new StringWriter(), error));
        Assert.Contains("--host must be", error.ToString(), StringComparison.Ordinal);
    }
}
