using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Hosting;
using DurableGen.Conformance.Reporting;
using DurableGen.Conformance.Requirements;

namespace DurableGen.Conformance.Running;

/// <summary>
/// The command line: <c>--requirements DIR</c> (default <c>../shared/conformance</c> relative to the repository root),
/// <c>--handlers ASSEMBLY...</c> (default the project's handlers assembly next to the program), <c>--suite S</c>
/// and <c>--id ID</c> (repeatable, comma lists allowed), <c>--report-json FILE</c>, <c>--report-junit FILE</c>,
/// <c>--artifacts DIR</c>, <c>--fail-on failed|failed+uncovered</c>, <c>--seed N</c>, <c>--parallel N</c>,
/// <c>--host in-process|http</c>, <c>--otel</c> (the OpenTelemetry suites: default folder <c>../shared/conformance-otel</c>),
/// <c>--list</c> (print what would run, and whether a handler serves it, without running anything).
/// Exit codes: 0 ok, 1 blocked by <c>--fail-on</c>, 2 usage or setup error.
/// </summary>
public static class ConformanceCli
{
    /// <summary>The default handler assembly's file name.</summary>
    public const string DefaultHandlersAssembly = "DurableGen.Conformance.Handlers.dll";

    /// <summary>Runs the command line.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        string? requirements = null, reportJson = null, reportJUnit = null, artifacts = null;
        var failOn = "failed";
        var handlers = new List<string>();
        var suites = new List<string>();
        var ids = new List<string>();
        var seed = Random.Shared.Next();
        var parallel = Math.Max(2, Environment.ProcessorCount);
        var host = ConformanceHostKind.InProcess;
        var otel = false;
        var list = false;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--requirements": requirements = Value(); break;
                    case "--handlers":
                        handlers.Add(Value());
                        while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                        {
                            handlers.Add(args[++i]);
                        }

                        break;
                    case "--suite": suites.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                    case "--id": ids.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                    case "--report-json": reportJson = Value(); break;
                    case "--report-junit": reportJUnit = Value(); break;
                    case "--artifacts": artifacts = Value(); break;
                    case "--fail-on":
                        failOn = Value();
                        if (failOn is not ("failed" or "failed+uncovered"))
                        {
                            throw new ArgumentException("--fail-on must be 'failed' or 'failed+uncovered'.");
                        }

                        break;
                    case "--seed": seed = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--host":
                        host = Value() switch
                        {
                            "in-process" => ConformanceHostKind.InProcess,
                            "http" => ConformanceHostKind.Http,
                            _ => throw new ArgumentException("--host must be 'in-process' or 'http'."),
                        };
                        break;
                    case "--otel": otel = true; break;
                    case "--list": list = true; break;
                    case "--parallel": parallel = Math.Max(1, int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
                    case "-h":
                    case "--help":
                        await output.WriteLineAsync(Usage).ConfigureAwait(false);
                        return 0;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        string directory;
        HandlerCatalog catalog;
        try
        {
            directory = otel ? RequirementsLocator.ResolveTelemetry(requirements) : RequirementsLocator.Resolve(requirements);
            if (handlers.Count == 0)
            {
                var path = Path.Combine(AppContext.BaseDirectory, DefaultHandlersAssembly);
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"No --handlers given and the default handlers assembly {path} is missing.");
                }

                handlers.Add(path);
            }

            catalog = HandlerCatalog.FromPaths(handlers);
        }
        catch (Exception ex) when (ex is RequirementsNotFoundException or IOException or BadImageFormatException)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (list)
        {
            var plan = ConformanceRun.Plan(Requirement.LoadAll(directory)
                .Where(r => suites.Count == 0 || suites.Contains(r.Suite))
                .Where(r => ids.Count == 0 || ids.Contains(r.Id)));
            await output.WriteAsync(ListPlan(plan, catalog)).ConfigureAwait(false);
            return plan.Count == 0 ? 2 : 0;
        }

        var report = await ConformanceRun.RunAsync(directory, catalog, new RunnerOptions
        {
            ArtifactsDirectory = artifacts,
            Seed = seed,
            MaxParallelism = parallel,
            Host = host,
        }, suites, ids, cancellationToken).ConfigureAwait(false);

        await output.WriteAsync(Reporters.Console(report)).ConfigureAwait(false);
        if (reportJson is not null)
        {
            Reporters.WriteJson(report, reportJson);
        }

        if (reportJUnit is not null)
        {
            Reporters.WriteJUnit(report, reportJUnit);
        }

        if (report.Results.Count == 0)
        {
            await error.WriteLineAsync($"error: no requirement selected in {directory}.").ConfigureAwait(false);
            return 2;
        }

        return report.ShouldFail(failOn) ? 1 : 0;
    }

    /// <summary>One line per planned run: name, suite, view and delay for an OpenTelemetry case, and the handler that
    /// would serve it (or why none does), then a count.</summary>
    public static string ListPlan(IReadOnlyList<PlannedRun> plan, HandlerCatalog catalog)
    {
        var text = new System.Text.StringBuilder();
        foreach (var run in plan)
        {
            var id = run.Requirement.Id;
            var handler = catalog.Handlers.TryGetValue(id, out var entry)
                ? entry.Type.FullName
                : catalog.NotImplemented.TryGetValue(id, out var reason) ? "NOT_IMPLEMENTED: " + reason : "UNCOVERED (no handler)";
            var view = run.Telemetry is { } t
                ? $" view={t.View.ToString().ToLowerInvariant()}" + (t.DelaySeconds is { } d ? $" delay={d}" : "")
                : "";
            var problem = run.Requirement.LoadError is { } error ? " LOAD ERROR: " + error : "";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{run.Name,-48} {run.Requirement.Suite,-18}{view} -> {handler}{problem}\n");
        }

        var served = plan.Count(r => catalog.Handlers.ContainsKey(r.Requirement.Id));
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{plan.Count} run(s) from {plan.Select(r => r.Requirement.Path).Distinct().Count()} file(s); {served} with a handler, {plan.Count - served} without.\n");
        return text.ToString();
    }

    /// <summary>Usage text.</summary>
    public const string Usage =
        "usage: durablegen-conformance [--requirements DIR] [--handlers ASSEMBLY...] [--suite NAME] [--id ID]\n" +
        "                              [--report-json FILE] [--report-junit FILE] [--artifacts DIR]\n" +
        "                              [--fail-on failed|failed+uncovered] [--seed N] [--parallel N]\n" +
        "                              [--host in-process|http] [--otel] [--list]\n" +
        "  --requirements defaults to ../shared/conformance relative to the repository root (the folder with DurableGen.sln).\n" +
        "  --host http runs each requirement on its own HTTP local service on 127.0.0.1 (the runtime's Runtime API loop,\n" +
        "  checkpoints and management calls over HTTP); the default runs them in process.\n" +
        "  --otel runs the OpenTelemetry suites (otel-invocation, otel-execution, otel-long-running; default folder\n" +
        "  ../shared/conformance-otel): each run also judges the spans of the view against TelemetryAssertions, and every\n" +
        "  long-running file runs in both views with delay 1 and 86400 on virtual time (in process only).\n" +
        "  --list prints what would run and which handler serves it, and runs nothing.";
}
