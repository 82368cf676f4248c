using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DurableGen.TestSupport;

namespace DurableGen.Benchmarks;

/// <summary>
/// <c>--analyzer-cost [--runs N] [--keep]</c>: what the DG2xxx analyzers add to the build of a project of
/// <see cref="AnalyzerCostProject.Workflows"/> workflows. Rebuilds the generated project N times each with analyzers
/// on, with <c>-p:RunAnalyzers=false</c>, and with every analyzer but DurableGen's, in rotation, and prints each run,
/// the medians and their ratios; then one
/// untimed build with <c>-p:ReportAnalyzer=true</c> for the compiler's own account of each analyzer's time (the same
/// telemetry CompilationWithAnalyzers keeps, from the real compilation with its real references).
/// </summary>
public static class AnalyzerCost
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Runs the measurement; returns the exit code (1 when a build fails or the on/off check does not hold).</summary>
    public static int Run(string[] args)
    {
        var runs = Measurement.PositiveOption(args, "--runs", 5);
        if (runs < 1)
        {
            Console.Error.WriteLine("--runs must be at least 1");
            return 2;
        }

        var directory = Directory.CreateTempSubdirectory("durablegen-analyzer-cost-").FullName;
        try
        {
            return Measure(directory, runs);
        }
        finally
        {
            if (args.Contains("--keep"))
            {
                Console.WriteLine($"Kept {directory}");
            }
            else
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static int Measure(string directory, int runs)
    {
        var (files, lines) = AnalyzerCostProject.Write(directory, RepositoryRoot.Path);
        Console.WriteLine($"Project: {AnalyzerCostProject.Workflows} workflows, {files} C# files, {lines:N0} lines, in {directory}");
        var loadBefore = Measurement.LoadAverage();
        Console.WriteLine($"Load average before: {loadBefore} ({Environment.ProcessorCount} cores)");

        // The warm-up also builds the runtime, generator and analyzers once; the timed builds then rebuild only the
        // generated project (--no-dependencies), so the ratio is not diluted by compiling the repository.
        var restore = Dotnet(directory, "restore", "-nodeReuse:false");
        if (restore.ExitCode != 0)
        {
            return Fail("restore failed", restore);
        }

        var warmUp = Dotnet(directory, "build", "--no-restore", "-c", "Release", "-nodeReuse:false");
        if (warmUp.ExitCode != 0)
        {
            return Fail("warm-up build failed", warmUp);
        }

        Console.WriteLine($"Warm-up build (with dependencies): {warmUp.Seconds:0.0} s");
        var times = Variants.ToDictionary(v => v, _ => new List<double>());
        Console.WriteLine();
        Console.WriteLine("| Run | Analyzers | Build (s) | Planted DG2001 | All DG2xxx warnings |");
        Console.WriteLine("|----:|-----------|----------:|---------------:|--------------------:|");
        for (var run = 1; run <= runs; run++)
        {
            // Rotate which goes first, so a drift in the machine's load hits every variant alike.
            foreach (var variant in Variants.Skip((run - 1) % Variants.Length).Concat(Variants.Take((run - 1) % Variants.Length)))
            {
                var build = Dotnet(directory, [.. TimedBuildArguments, .. Properties(variant)]);
                var planted = Warnings(build.Output, AnalyzerCostProject.PlantedFile + "(", "warning DG2001");
                var all = Warnings(build.Output, "warning DG2");
                Console.WriteLine($"| {run} | {Name(variant)} | {build.Seconds:0.00} | {planted} | {all} |");
                if (build.ExitCode != 0)
                {
                    return Fail("build failed", build);
                }

                // The planted DG2001 shows the analyzers ran; the generated Main, that the generator did (or it fails).
                if (variant == Variant.On ? planted != 1 : all != 0)
                {
                    return Fail($"the {Name(variant)} build reported {all} DG2xxx warnings ({planted} planted)", build);
                }

                times[variant].Add(build.Seconds);
            }
        }

        var loadAfter = Measurement.LoadAverage();
        var median = times.ToDictionary(t => t.Key, t => Measurement.Median(t.Value));
        Console.WriteLine();
        foreach (var variant in Variants)
        {
            Console.WriteLine($"Median {Name(variant)}: {median[variant]:0.00} s  (min {times[variant].Min():0.00}, max {times[variant].Max():0.00})");
        }

        Console.WriteLine($"Ratio on / off (RunAnalyzers=false): {median[Variant.On] / median[Variant.Off]:0.000}  (+{median[Variant.On] - median[Variant.Off]:0.00} s)");
        Console.WriteLine($"Ratio on / on without DG2xxx:        {median[Variant.On] / median[Variant.WithoutDurableGenAnalyzers]:0.000}  (+{median[Variant.On] - median[Variant.WithoutDurableGenAnalyzers]:0.00} s)");
        Console.WriteLine($"Load average before: {loadBefore}; after: {loadAfter}");

        PrintAnalyzerReport(directory, "an ordinary build");
        PrintAnalyzerReport(directory, "a deployment build, as durablegen package makes", "-p:DurableGenDeploymentAnalysis=true");
        return 0;
    }

    /// <summary>
    /// On: every analyzer. Off: <c>RunAnalyzers=false</c>, no analyzer at all (generators still run). Without DG2xxx:
    /// every analyzer but DurableGen.Analyzers, so on/without is what the DG2xxx rules alone add; the rest of on/off is
    /// the price of running any analyzer (operation trees, the analyzer driver), which the SDK's own analyzers already pay.
    /// </summary>
    private enum Variant
    {
        On,
        Off,
        WithoutDurableGenAnalyzers,
    }

    private static readonly Variant[] Variants = [Variant.On, Variant.Off, Variant.WithoutDurableGenAnalyzers];

    private static readonly string[] TimedBuildArguments =
        ["build", "--no-restore", "--no-incremental", "--no-dependencies", "-c", "Release", "-nodeReuse:false"];

    private static string[] Properties(Variant variant) => variant switch
    {
        Variant.Off => ["-p:RunAnalyzers=false"],
        Variant.WithoutDurableGenAnalyzers => ["-p:DurableGenAnalyzers=false"],
        _ => [],
    };

    private static string Name(Variant variant) => variant switch
    {
        Variant.On => "on",
        Variant.Off => "off",
        _ => "on without DG2xxx",
    };

    /// <summary>The compiler's per-analyzer times (<c>ReportAnalyzer</c>) in one more build of <paramref name="kind"/>.
    /// Untimed: measuring each callback costs time.</summary>
    private static void PrintAnalyzerReport(string directory, string kind, params string[] properties)
    {
        // The compiler logs its report at low importance: only detailed verbosity shows it.
        var report = Dotnet(directory, ["build", "--no-restore", "--no-incremental", "--no-dependencies", "-c", "Release",
            "-nodeReuse:false", "-p:ReportAnalyzer=true", "-v:d", .. properties]);
        Console.WriteLine();
        Console.WriteLine($"Analyzer report of {kind} (-p:ReportAnalyzer=true {string.Join(' ', properties)}, {report.Seconds:0.0} s; times are summed over threads):");
        var lines = report.Output.Split('\n').Select(l => l.Trim()).ToList();
        var start = lines.FindIndex(l => l.StartsWith("Total analyzer execution time", StringComparison.Ordinal));
        var end = lines.FindIndex(Math.Max(start, 0), l => l.StartsWith("Done executing task \"Csc\"", StringComparison.Ordinal));
        if (start < 0 || end < 0)
        {
            Console.WriteLine("  (no report in the build output)");
            return;
        }

        // The report lists every analyzer and generator assembly; keep the totals and DurableGen's rows.
        foreach (var line in lines.Skip(start).Take(end - start))
        {
            if (line.StartsWith("Total", StringComparison.Ordinal) || line.Contains("DurableGen", StringComparison.Ordinal))
            {
                Console.WriteLine("  " + line);
            }
        }
    }

    /// <summary>Distinct warning lines containing every one of <paramref name="parts"/> (MSBuild repeats each in its summary).</summary>
    private static int Warnings(string output, params string[] parts) =>
        output.Split('\n').Select(l => l.Trim())
            .Where(l => parts.All(p => l.Contains(p, StringComparison.Ordinal)))
            .Distinct().Count();

    private static BuildRun Dotnet(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry or first-run banner in the timed builds.
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return new BuildRun(process.ExitCode, watch.Elapsed.TotalSeconds, output.ToString());
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int Fail(string what, BuildRun build)
    {
        Console.Error.WriteLine($"{what} (exit code {build.ExitCode}):");
        Console.Error.WriteLine(build.Output);
        return 1;
    }

    private sealed record BuildRun(int ExitCode, double Seconds, string Output);
}
