using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Hosting;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Telemetry;

namespace DurableGen.Conformance.Running;

/// <summary>Thrown when no requirements folder can be found; the message says where the runner looked.</summary>
public sealed class RequirementsNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequirementsNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RequirementsNotFoundException() { }

    /// <summary>Creates the exception.</summary>
    public RequirementsNotFoundException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Finds the requirements folder.</summary>
public static class RequirementsLocator
{
    /// <summary>The repository-relative default: <c>../shared/conformance</c> next to the clone.</summary>
    public const string DefaultRelative = "../shared/conformance";

    /// <summary>The repository-relative default of the OpenTelemetry requirements: <c>../shared/conformance-otel</c>.</summary>
    public const string DefaultTelemetryRelative = "../shared/conformance-otel";

    /// <summary>
    /// <paramref name="explicitDirectory"/> when given (it must exist); otherwise <c>../shared/conformance</c> relative
    /// to the repository root (the first folder holding <c>DurableGen.sln</c>, searched upwards from
    /// <paramref name="startDirectories"/>, default the current directory and the application's base directory).
    /// </summary>
    /// <exception cref="RequirementsNotFoundException">No folder: the message names every place looked at.</exception>
    public static string Resolve(string? explicitDirectory, params string[] startDirectories) =>
        Resolve(explicitDirectory, DefaultRelative, startDirectories);

    /// <summary>The OpenTelemetry package's requirements: like <see cref="Resolve(string?, string[])"/> with the default
    /// <see cref="DefaultTelemetryRelative"/>.</summary>
    /// <exception cref="RequirementsNotFoundException">No folder: the message names every place looked at.</exception>
    public static string ResolveTelemetry(string? explicitDirectory, params string[] startDirectories) =>
        Resolve(explicitDirectory, DefaultTelemetryRelative, startDirectories);

    private static string Resolve(string? explicitDirectory, string defaultRelative, string[] startDirectories)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            var full = Path.GetFullPath(explicitDirectory);
            if (!Directory.Exists(full))
            {
                throw new RequirementsNotFoundException(
                    $"The requirements folder '{full}' (from --requirements) does not exist. Point --requirements at a copy of AWS's conformance requirement files (one folder per suite).");
            }

            return full;
        }

        var starts = startDirectories.Length > 0
            ? startDirectories
            : new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        var looked = new List<string>();
        foreach (var start in starts)
        {
            var root = FindRepositoryRoot(start);
            if (root is null)
            {
                looked.Add($"(no DurableGen.sln above {start})");
                continue;
            }

            var candidate = Path.GetFullPath(Path.Combine(root, defaultRelative));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            looked.Add(candidate);
        }

        throw new RequirementsNotFoundException(
            "No conformance requirements folder was found. The requirement files are AWS's and are not in the repository: " +
            $"pass --requirements DIR, or place them at {defaultRelative} next to the repository root. Looked at: " +
            string.Join(", ", looked.Distinct()));
    }

    /// <summary>The first folder at or above <paramref name="start"/> that holds <c>DurableGen.sln</c>.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DurableGen.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

/// <summary>A whole run: the results plus the run's metadata.</summary>
public sealed class RunReport
{
    /// <summary>Results in requirement order.</summary>
    public required IReadOnlyList<RequirementResult> Results { get; init; }

    /// <summary>The requirements folder.</summary>
    public required string RequirementsDirectory { get; init; }

    /// <summary>The run seed.</summary>
    public int Seed { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall-clock duration.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Catalog warnings (duplicate handlers …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>The handler assemblies.</summary>
    public IReadOnlyList<string> HandlerAssemblies { get; init; } = Array.Empty<string>();

    /// <summary>Upstream commit of the requirement files when known (from their README).</summary>
    public string? RequirementsCommit { get; init; }

    /// <summary>True when the run should fail under <paramref name="failOn"/> (<c>failed</c> or <c>failed+uncovered</c>).</summary>
    public bool ShouldFail(string failOn) =>
        Results.Any(r => r.Status == ConformanceStatus.Failed)
        || (failOn == "failed+uncovered" && Results.Any(r => r.Status == ConformanceStatus.Uncovered));
}

/// <summary>Loads, filters and runs requirements in parallel (each on its own engine and clock).</summary>
public static class ConformanceRun
{
    /// <summary>Runs every requirement of <paramref name="requirementsDirectory"/> that passes the filters.</summary>
    public static async Task<RunReport> RunAsync(string requirementsDirectory, HandlerCatalog catalog, RunnerOptions options,
        IReadOnlyCollection<string>? suites = null, IReadOnlyCollection<string>? ids = null,
        CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var requirements = Requirement.LoadAll(requirementsDirectory)
            .Where(r => suites is null || suites.Count == 0 || suites.Contains(r.Suite))
            .Where(r => ids is null || ids.Count == 0 || ids.Contains(r.Id))
            .ToList();
        var runner = new RequirementRunner(catalog, options);
        var runs = Plan(requirements);
        var results = new ConcurrentDictionary<string, RequirementResult>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(runs,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken },
            async (run, token) => results[run.Key] = run.Telemetry is { } telemetry
                ? await runner.RunAsync(telemetry, token).ConfigureAwait(false)
                : await runner.RunAsync(run.Requirement, token).ConfigureAwait(false)).ConfigureAwait(false);

        return new RunReport
        {
            Results = runs.Select(r => results[r.Key]).ToList(),
            RequirementsDirectory = requirementsDirectory,
            Seed = options.Seed,
            StartedAt = started,
            Duration = watch.Elapsed,
            Warnings = catalog.Warnings,
            HandlerAssemblies = catalog.Assemblies.Select(a => a.GetName().Name ?? "").ToList(),
            RequirementsCommit = ReadCommit(requirementsDirectory),
        };
    }

    /// <summary>
    /// What a run of <paramref name="requirements"/> consists of: one run per core requirement, and for the OpenTelemetry
    /// suites one per <see cref="TelemetryCase"/> (a long-running file runs in both views with both delays).
    /// </summary>
    public static IReadOnlyList<PlannedRun> Plan(IEnumerable<Requirement> requirements) =>
        requirements.SelectMany(r => TelemetryCase.IsTelemetrySuite(r.Suite)
                ? TelemetryCase.For(r).Select(c => new PlannedRun(r, c))
                : [new PlannedRun(r, null)])
            .ToList();

    private static string? ReadCommit(string directory)
    {
        var readme = Path.Combine(directory, "README.md");
        if (!File.Exists(readme))
        {
            return null;
        }

        var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(readme), @"commit\s+([0-9a-f]{7,40})");
        return match.Success ? match.Groups[1].Value : null;
    }
}
