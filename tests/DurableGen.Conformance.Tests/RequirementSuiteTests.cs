using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Hosting;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Running;
using Xunit;

namespace DurableGen.Conformance.Tests;

/// <summary>
/// One case per requirement file found in <c>../shared/conformance</c> (relative to the repository root): PASSED or
/// a declared NOT_IMPLEMENTED passes; FAILED, UNCOVERED and a stale NOT_IMPLEMENTED declaration fail. The whole
/// suite runs once (in parallel, virtual time) and each case reports its own requirement.
/// </summary>
public sealed class RequirementSuiteTests
{
    /// <summary>The case name used when the requirements folder cannot be found.</summary>
    public const string MissingFolder = "(requirements folder missing)";

    internal static readonly Lazy<(string? Directory, string? Error)> Folder = new(() =>
    {
        try
        {
            return (RequirementsLocator.Resolve(null, Directory.GetCurrentDirectory(), AppContext.BaseDirectory), null);
        }
        catch (RequirementsNotFoundException ex)
        {
            return (null, ex.Message);
        }
    });

    private static readonly Lazy<Task<RunReport>> Report = new(() => ConformanceRun.RunAsync(Folder.Value.Directory!,
        HandlerCatalog.FromAssemblies([typeof(Handlers.Step.StepBasic).Assembly]),
        new RunnerOptions
        {
            ArtifactsDirectory = Path.Combine(AppContext.BaseDirectory, "conformance-artifacts"),
            Seed = Environment.TickCount,
        }), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every requirement id (suite/id), or the missing-folder marker.</summary>
    public static IEnumerable<object[]> Ids()
    {
        if (Folder.Value.Directory is not { } directory)
        {
            yield return [MissingFolder];
            yield break;
        }

        foreach (var requirement in Requirement.LoadAll(directory))
        {
            yield return [requirement.Suite + "/" + requirement.Id];
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Requirement_passes_or_is_a_declared_gap(string key)
    {
        Assert.True(key != MissingFolder,
            "The conformance requirements could not be run: " + Folder.Value.Error);

        AssertPassesOrIsADeclaredGap(await Report.Value, key);
    }

    /// <summary>The pass rule of one requirement's case, whichever host ran the suite.</summary>
    internal static void AssertPassesOrIsADeclaredGap(RunReport report, string key)
    {
        var result = report.Results.Single(r => r.Suite + "/" + r.Id == key);
        var detail = $"{result.Id} ({result.Suite}, seed {result.Seed}): {result.Status}" +
            (result.Reason is null ? "" : " — " + result.Reason) +
            (result.Errors.Count > 0 ? "\n  - " + string.Join("\n  - ", result.Errors) : "") +
            (result.ArtifactPath is null ? "" : "\n  history: " + result.ArtifactPath);
        Assert.True(result.Status is ConformanceStatus.Passed or ConformanceStatus.NotImplemented or ConformanceStatus.OptionalFailed,
            detail);
        Assert.False(result.Warnings.Any(w => w.StartsWith("Stale declaration", StringComparison.Ordinal)),
            "Remove the [assembly: ConformanceNotImplemented] line: " + string.Join("; ", result.Warnings));
        if (result.Status == ConformanceStatus.NotImplemented)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Reason), "A NOT_IMPLEMENTED declaration needs a reason.");
        }
    }

    [Fact]
    public async Task Requirements_in_the_baseline_still_pass()
    {
        if (Folder.Value.Directory is null)
        {
            Assert.Fail("The conformance requirements could not be run: " + Folder.Value.Error);
            return;
        }

        var baseline = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "passing-baseline.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var report = await Report.Value;
        var byKey = report.Results.ToDictionary(r => r.Suite + "/" + r.Id);
        var regressions = baseline
            .Where(key => !byKey.TryGetValue(key, out var r) || r.Status != ConformanceStatus.Passed)
            .Select(key => byKey.TryGetValue(key, out var r) ? $"{key}: {r.Status} {r.Reason}" : $"{key}: not found in the requirements folder")
            .ToList();
        Assert.True(regressions.Count == 0, "Regressions against passing-baseline.txt:\n" + string.Join("\n", regressions));
    }

    [Fact]
    public async Task Missing_requirements_folder_is_reported_clearly()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "no-such-requirements-" + Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ConformanceCli.RunAsync(["--requirements", nowhere], output, error);
        Assert.Equal(2, code);
        Assert.Contains(nowhere, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("does not exist", error.ToString(), StringComparison.Ordinal);

        // Without --requirements and without a repository above the start folder, the message says what to do.
        var ex = Assert.Throws<RequirementsNotFoundException>(() => RequirementsLocator.Resolve(null, Path.GetTempPath()));
        Assert.Contains("--requirements", ex.Message, StringComparison.Ordinal);
        Assert.Contains("../shared/conformance", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_writes_json_and_junit_reports_and_exits_per_fail_on()
    {
        if (Folder.Value.Directory is not { } directory)
        {
            Assert.Fail("The conformance requirements could not be run: " + Folder.Value.Error);
            return;
        }

        var dir = Path.Combine(Path.GetTempPath(), "durablegen-conformance-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var handlers = typeof(Handlers.Step.StepBasic).Assembly.Location;
            var json = Path.Combine(dir, "report.json");
            var junit = Path.Combine(dir, "report.xml");
            var output = new StringWriter();
            var code = await ConformanceCli.RunAsync(
                ["--requirements", directory, "--handlers", handlers, "--suite", "wait", "--report-json", json, "--report-junit", junit,
                 "--artifacts", Path.Combine(dir, "artifacts"), "--seed", "5"],
                output, new StringWriter());
            Assert.Equal(0, code);
            Assert.Contains("wait", output.ToString(), StringComparison.Ordinal);
            var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!;
            Assert.Equal("1.0", report["schema_version"]!.GetValue<string>());
            Assert.Equal("dotnet", report["language"]!.GetValue<string>());
            Assert.All(report["results"]!.AsArray(), r => Assert.Equal("wait", r!["suite"]!.GetValue<string>()));
            var xml = System.Xml.Linq.XDocument.Load(junit);
            Assert.All(xml.Descendants("testcase"), t => Assert.Equal("dotnet.wait", t.Attribute("classname")!.Value));
            Assert.True(File.Exists(Path.Combine(dir, "artifacts", "2-2.json")));

            // A suite with declared gaps only: fine under --fail-on failed, but not under failed+uncovered when an
            // id is uncovered (an empty handler set leaves every id uncovered).
            var empty = typeof(RequirementSuiteTests).Assembly.Location;
            Assert.Equal(0, await ConformanceCli.RunAsync(
                ["--requirements", directory, "--handlers", empty, "--id", "2-2"], new StringWriter(), new StringWriter()));
            Assert.Equal(1, await ConformanceCli.RunAsync(
                ["--requirements", directory, "--handlers", empty, "--id", "2-2", "--fail-on", "failed+uncovered"],
                new StringWriter(), new StringWriter()));
            Assert.Equal(2, await ConformanceCli.RunAsync(["--fail-on", "sometimes"], new StringWriter(), new StringWriter()));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
