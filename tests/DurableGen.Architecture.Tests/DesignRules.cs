using System.Collections.Generic;
using System.Linq;

namespace DurableGen.Architecture.Tests;

/// <summary>design.md §2's dependency rules (docs/architecture.md), as the architecture test checks them.</summary>
internal static class DesignRules
{
    public const string Runtime = "DurableGen";
    public const string Engine = "DurableGen.Emulator";
    public const string Testing = "DurableGen.Testing";
    public const string OpenTelemetry = "DurableGen.OpenTelemetry";
    public const string LocalService = "DurableGen.LocalService";
    public const string Cli = "DurableGen.Cli";
    public const string ConformanceHandlers = "DurableGen.Conformance.Handlers";
    public const string ConformanceRunner = "DurableGen.Conformance.Runner";

    /// <summary>The Roslyn components shipped inside the runtime's package.</summary>
    public static readonly IReadOnlyList<string> RoslynComponents =
    [
        "DurableGen.Generators", "DurableGen.Generators.CodeFixes", "DurableGen.Analyzers", "DurableGen.Analyzers.CodeFixes",
    ];

    public static readonly IReadOnlyList<DependencyRule> All =
    [
        AssemblyReferenceRule.Only("the runtime depends on nothing of ours", Runtime),
        NamespaceUseRule.Only("Protocol uses no other DurableGen namespace",
            Runtime, "DurableGen.Protocol", except: null, Runtime, "DurableGen.Protocol"),
        AssemblyReferenceRule.Only("the engine references only the runtime", Engine, Runtime),
        // The in-process host kit (DurableGen.Emulator.Hosting) runs functions, so it may use the runtime's hosting
        // and client types; the engine proper sees only the wire model.
        NamespaceUseRule.Only("the engine uses only the runtime's Protocol types",
            Engine, "DurableGen.Emulator", except: "DurableGen.Emulator.Hosting", Runtime, "DurableGen.Protocol"),
        AssemblyReferenceRule.Never("the generator and analyzers never reference the runtime assembly",
            RoslynComponents, Runtime),
        AssemblyReferenceRule.Only("DurableGen.Testing references only the runtime and the engine",
            Testing, Runtime, Engine),
        // Observability is a plugin on the runtime's hooks: the runtime never references it, it only the runtime.
        AssemblyReferenceRule.Only("DurableGen.OpenTelemetry references only the runtime", OpenTelemetry, Runtime),
        AssemblyReferenceRule.Only("the local service references only the runtime and the engine",
            LocalService, Runtime, Engine),
        AssemblyReferenceRule.Never("the CLI does not reference DurableGen.Testing", [Cli], Testing),
        AssemblyReferenceRule.Never("the conformance handlers do not reference the conformance runner",
            [ConformanceHandlers], ConformanceRunner),
    ];

    public static IReadOnlyList<Violation> Check(IEnumerable<AssemblyFacts> assemblies,
        IEnumerable<DependencyRule>? rules = null)
    {
        var byName = assemblies.ToDictionary(a => a.Name);
        return (rules ?? All).SelectMany(r => r.Check(byName)).Distinct().ToList();
    }
}
