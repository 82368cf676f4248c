using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using DurableGen.Conformance.Running;

namespace DurableGen.Conformance.Reporting;

/// <summary>Console, JSON (the Python runner's schema 1.0, language <c>dotnet</c>) and JUnit reports.</summary>
public static class Reporters
{
    private static readonly string[] StatusOrder =
    [
        ConformanceStatus.Passed, ConformanceStatus.Failed, ConformanceStatus.OptionalFailed,
        ConformanceStatus.NotImplemented, ConformanceStatus.Uncovered,
    ];

    /// <summary>A per-suite summary, then every non-pass with its reason and errors.</summary>
    public static string Console(RunReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"DurableGen conformance — {report.RequirementsDirectory} (seed {report.Seed})");
        foreach (var warning in report.Warnings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"warning: {warning}");
        }

        foreach (var suite in report.Results.GroupBy(r => r.Suite))
        {
            var counts = string.Join(", ", StatusOrder
                .Select(s => (Status: s, Count: suite.Count(r => r.Status == s)))
                .Where(c => c.Count > 0)
                .Select(c => $"{c.Count} {c.Status}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"{suite.Key,-20} {suite.Count(),3} ids: {counts}");
            // Declared gaps: one line per reason, with its ids.
            foreach (var gap in suite.Where(r => r.Status == ConformanceStatus.NotImplemented).GroupBy(r => r.Reason))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  {ConformanceStatus.NotImplemented} {string.Join(" ", gap.Select(r => r.Id))}: {gap.Key}");
            }

            foreach (var result in suite.Where(r => !r.IsPass && r.Status != ConformanceStatus.NotImplemented))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Id,-6} {result.Status,-16} {result.Reason}");
                if (result.Status is ConformanceStatus.Failed or ConformanceStatus.OptionalFailed)
                {
                    foreach (var error in result.Errors)
                    {
                        text.AppendLine(CultureInfo.InvariantCulture, $"           - {error}");
                    }

                    if (result.ArtifactPath is not null)
                    {
                        text.AppendLine(CultureInfo.InvariantCulture, $"           history: {result.ArtifactPath}");
                    }
                }
            }

            foreach (var result in suite)
            {
                foreach (var warning in result.Warnings)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Id,-6} warning: {warning}");
                }
            }
        }

        var totals = string.Join(", ", StatusOrder.Select(s => $"{report.Results.Count(r => r.Status == s)} {s}"));
        text.AppendLine(CultureInfo.InvariantCulture,
            $"total {report.Results.Count}: {totals} in {report.Duration.TotalSeconds:0.00} s");
        return text.ToString();
    }

    /// <summary>The JSON report.</summary>
    public static JsonObject Json(RunReport report)
    {
        var entries = new JsonArray();
        foreach (var r in report.Results)
        {
            entries.Add(new JsonObject
            {
                ["id"] = r.Id,
                ["function"] = r.Function,
                ["suite"] = r.Suite,
                ["description"] = r.Description,
                ["status"] = r.Status,
                ["reason"] = r.Reason,
                ["optional"] = r.Optional,
                ["errors"] = new JsonArray(r.Errors.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
                ["duration"] = Math.Round(r.Duration.TotalSeconds, 3),
                ["virtual_seconds"] = Math.Round(r.VirtualSeconds, 3),
                ["seed"] = r.Seed,
                ["invocations"] = r.Invocations,
                ["artifact"] = r.ArtifactPath,
                ["warnings"] = new JsonArray(r.Warnings.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
            });
        }

        var summary = new JsonObject { ["total"] = report.Results.Count };
        foreach (var status in StatusOrder)
        {
            summary[status.ToLowerInvariant()] = report.Results.Count(r => r.Status == status);
        }

        return new JsonObject
        {
            ["schema_version"] = "1.0",
            ["language"] = "dotnet",
            ["run"] = new JsonObject
            {
                ["started_at"] = report.StartedAt.ToString("o", CultureInfo.InvariantCulture),
                ["duration"] = Math.Round(report.Duration.TotalSeconds, 3),
                ["runner"] = "DurableGen.Conformance",
                ["backend"] = "in-process emulator (virtual time)",
                ["requirements_dir"] = report.RequirementsDirectory,
                ["requirements_commit"] = report.RequirementsCommit,
                ["handler_assemblies"] = new JsonArray(report.HandlerAssemblies.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                ["seed"] = report.Seed,
                ["warnings"] = new JsonArray(report.Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray()),
            },
            ["summary"] = summary,
            ["results"] = entries,
        };
    }

    /// <summary>JUnit XML: <c>classname</c> <c>dotnet.&lt;suite&gt;</c>, <c>name</c> the id, FAILED as a failure,
    /// every other non-pass as skipped.</summary>
    public static XDocument JUnit(RunReport report)
    {
        var suites = new XElement("testsuites");
        foreach (var group in report.Results.GroupBy(r => r.Suite))
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", "dotnet." + group.Key),
                new XAttribute("tests", group.Count()),
                new XAttribute("failures", group.Count(r => r.Status == ConformanceStatus.Failed)),
                new XAttribute("skipped", group.Count(r => !r.IsPass && r.Status != ConformanceStatus.Failed)),
                new XAttribute("time", group.Sum(r => r.Duration.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture)));
            foreach (var r in group)
            {
                var testcase = new XElement("testcase",
                    new XAttribute("classname", "dotnet." + r.Suite),
                    new XAttribute("name", r.Id),
                    new XAttribute("time", r.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)));
                if (r.Status == ConformanceStatus.Failed)
                {
                    testcase.Add(new XElement("failure", new XAttribute("message", r.Reason ?? "failed"),
                        string.Join("\n", r.Errors)));
                }
                else if (!r.IsPass)
                {
                    testcase.Add(new XElement("skipped", new XAttribute("message", $"{r.Status}: {r.Reason}")));
                }

                suite.Add(testcase);
            }

            suites.Add(suite);
        }

        return new XDocument(suites);
    }

    /// <summary>Writes the JSON report.</summary>
    public static void WriteJson(RunReport report, string path)
    {
        CreateParent(path);
        File.WriteAllText(path, Json(report).ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }

    /// <summary>Writes the JUnit report.</summary>
    public static void WriteJUnit(RunReport report, string path)
    {
        CreateParent(path);
        JUnit(report).Save(path);
    }

    private static void CreateParent(string path)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(parent))
        {
            Directory.CreateDirectory(parent);
        }
    }
}
