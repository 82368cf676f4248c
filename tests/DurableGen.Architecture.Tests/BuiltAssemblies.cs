using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using DurableGen.TestSupport;

namespace DurableGen.Architecture.Tests;

/// <summary>The parts' assemblies as the build left them in each project's bin folder, in this test's configuration.</summary>
internal static class BuiltAssemblies
{
    /// <summary>Project folder (relative to the repository root) and assembly name of every checked part.</summary>
    public static readonly IReadOnlyList<(string Project, string Assembly)> Parts =
    [
        ("src/DurableGen", DesignRules.Runtime),
        ("src/DurableGen.Emulator", DesignRules.Engine),
        ("src/DurableGen.Testing", DesignRules.Testing),
        ("src/DurableGen.OpenTelemetry", DesignRules.OpenTelemetry),
        ("src/DurableGen.LocalService", DesignRules.LocalService),
        ("src/DurableGen.Cli", DesignRules.Cli),
        ("src/DurableGen.Deployment", "DurableGen.Deployment"),
        ("src/DurableGen.Conformance.Contracts", "DurableGen.Conformance.Contracts"),
        ("src/DurableGen.Conformance.Runner", DesignRules.ConformanceRunner),
        ("src/DurableGen.Conformance.Handlers", DesignRules.ConformanceHandlers),
        ("src/DurableGen.Conformance.Cli", "durablegen-conformance"),
        ("generators/DurableGen.Generators", "DurableGen.Generators"),
        ("generators/DurableGen.Generators.CodeFixes", "DurableGen.Generators.CodeFixes"),
        ("analyzers/DurableGen.Analyzers", "DurableGen.Analyzers"),
        ("analyzers/DurableGen.Analyzers.CodeFixes", "DurableGen.Analyzers.CodeFixes"),
    ];

    private static readonly Lazy<IReadOnlyList<AssemblyFacts>> s_all =
        new(() => Parts.Select(p => AssemblyFacts.Read(PathOf(p.Project, p.Assembly))).ToList());

    public static IReadOnlyList<AssemblyFacts> All => s_all.Value;

    /// <summary>The newest build of the assembly (net10.0 when the project has several target frameworks).</summary>
    public static string PathOf(string project, string assembly)
    {
        var bin = Path.Combine(RepositoryRoot.Combine(project), "bin", Configuration);
        var candidates = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, assembly + ".dll", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}publish{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .OrderByDescending(p => p.Contains("net10.0", StringComparison.Ordinal))
                .ThenByDescending(File.GetLastWriteTimeUtc)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new FileNotFoundException($"{assembly}.dll not built under {bin}: build the solution first.");
    }

    private static string Configuration =>
        typeof(BuiltAssemblies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value!;
}
