using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// The analyzers never throw (AD0001): every C# file of the repository, project by project, goes through all of them.
/// The repository is a large corpus of real code, much of it deliberately unusual (the runtime's own generic plumbing,
/// the generator, tests full of odd workflows). Projects reference each other as compilations, as in the IDE, and
/// some package references are missing, so the analyzers also see symbols from other projects' syntax and broken code.
/// </summary>
public sealed class RepositorySweepTests(RepositorySweep sweep, ITestOutputHelper output) : IClassFixture<RepositorySweep>
{
    /// <summary>Below this the file walk has gone wrong (the repository had about 320 when this was written).</summary>
    private const int MinimumFiles = 300;

    /// <summary>
    /// What the build enforces on the workflow projects (warnings are errors). The conformance handlers create callbacks
    /// without timeouts because AWS's requirements do (4-1, 7-1…); they suppress DG2021 in those files with a reason.
    /// </summary>
    private const DiagnosticSeverity EnforcedSeverity = DiagnosticSeverity.Warning;

    /// <summary>The project folders whose workflows must be replay-safe as written: the samples and the conformance handlers.</summary>
    private static bool IsWorkflowProject(string folder) =>
        folder.StartsWith("samples/", StringComparison.Ordinal) || folder == "src/DurableGen.Conformance.Handlers";

    public static IEnumerable<object[]> ProjectFolders() => RepositoryProjects.All.Select(p => new object[] { p.Folder });

    public static IEnumerable<object[]> WorkflowProjectFolders() =>
        RepositoryProjects.All.Where(p => IsWorkflowProject(p.Folder)).Select(p => new object[] { p.Folder });

    [Theory]
    [MemberData(nameof(ProjectFolders))]
    public void Analyzers_do_not_throw(string folder)
    {
        var result = sweep[folder];
        Assert.True(result.AnalyzerExceptions.Count == 0,
            $"Analyzers threw on {folder}:\n" + string.Join("\n\n", result.AnalyzerExceptions));
        var ad0001 = result.AnalyzerDiagnostics.Where(d => d.Id == "AD0001").ToList();
        Assert.True(ad0001.Count == 0, $"AD0001 on {folder}:\n" + string.Join("\n", ad0001));
    }

    [Theory]
    [MemberData(nameof(WorkflowProjectFolders))]
    public void Workflow_code_of_the_repository_reports_no_DG2xxx_warning(string folder)
    {
        var result = sweep[folder];

        // The analyzers registered their actions (DurableGen resolved) and the generator produced what the code uses.
        Assert.All(result.Telemetry, t => Assert.True(t.Value.OperationActionsCount > 0,
            $"{t.Key.GetType().Name} registered nothing on {folder}"));
        var generatorProblems = result.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(generatorProblems.Count == 0, $"The generator failed on {folder}:\n" + string.Join("\n", generatorProblems));

        var findings = result.AnalyzerDiagnostics
            .Where(d => d.Id.StartsWith("DG2", StringComparison.Ordinal) && d.Severity >= EnforcedSeverity).ToList();
        Assert.True(findings.Count == 0, $"{folder} reports:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void The_sweep_reaches_every_file_and_runs_every_analyzer()
    {
        WriteSummary();

        var files = sweep.All.Sum(r => r.Project.Files.Count);
        Assert.True(files > MinimumFiles, $"Only {files} C# files found under {string.Join(", ", RepositoryProjects.CodeFolders)}");

        Assert.NotEmpty(ProjectSweep.Analyzers);
        foreach (var analyzer in ProjectSweep.Analyzers)
        {
            var telemetry = sweep.All.Select(r => r.Telemetry[analyzer]).ToList();
            var name = analyzer.GetType().Name;
            Assert.True(telemetry.Sum(t => t.OperationActionsCount) > 0, $"{name} registered no operation action anywhere");
            Assert.True(telemetry.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.ExecutionTime) > TimeSpan.Zero,
                $"{name} never executed");
        }
    }

    private void WriteSummary()
    {
        output.WriteLine($"Swept {sweep.All.Sum(r => r.Project.Files.Count)} files in {sweep.All.Count()} project folders in {sweep.Elapsed.TotalSeconds:0.0} s");
        // Analyzer columns: seconds spent in each analyzer's callbacks (summed over threads), to spot an expensive one.
        var analyzerColumns = string.Concat(ProjectSweep.Analyzers.Select(a => $" {a.GetType().Name.Replace("Analyzer", ""),13}"));
        output.WriteLine($"{"Project folder",-45} {"Files",6} {"Errors",7} {"DG2xxx",7} {"Seconds",8}{analyzerColumns}");
        foreach (var r in sweep.All)
        {
            var dg = r.AnalyzerDiagnostics.Count(d => d.Id.StartsWith("DG2", StringComparison.Ordinal));
            var times = string.Concat(ProjectSweep.Analyzers.Select(a => $" {r.Telemetry[a].ExecutionTime.TotalSeconds,13:0.00}"));
            output.WriteLine($"{r.Project.Folder,-45} {r.Project.Files.Count,6} {r.CompilerErrors,7} {dg,7} {r.Elapsed.TotalSeconds,8:0.0}{times}");
        }

        foreach (var analyzer in ProjectSweep.Analyzers)
        {
            var time = sweep.All.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Telemetry[analyzer].ExecutionTime);
            output.WriteLine($"{analyzer.GetType().Name}: {time.TotalSeconds:0.00} s of analyzer time");
        }

        // Outside the workflow projects findings are allowed (the runtime's own plumbing takes IDurableContext too),
        // but worth seeing.
        foreach (var d in sweep.All.SelectMany(r => r.AnalyzerDiagnostics).Where(d => d.Id.StartsWith("DG2", StringComparison.Ordinal)))
        {
            output.WriteLine(d.ToString());
        }
    }
}
