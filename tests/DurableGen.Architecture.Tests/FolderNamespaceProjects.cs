using System.Collections.Generic;

namespace DurableGen.Architecture.Tests;

/// <summary>The projects folder = namespace is enforced on (every project with sources but the template pack).</summary>
internal static class FolderNamespaceProjects
{
    /// <summary>The runtime's folders whose types are the workflow author's API: namespace <c>DurableGen</c>. The
    /// others (Client, Execution, Operations, Protocol) are <c>DurableGen.&lt;Folder&gt;</c>.</summary>
    public static readonly IReadOnlyList<string> RuntimeApiFolders =
    [
        "Attributes", "Batch", "Config", "Context", "Exceptions", "Hosting", "Plugins", "Retry", "Serialization",
    ];

    public static readonly IReadOnlyList<FolderNamespaceRule> Enforced =
    [
        new("src/DurableGen", "DurableGen", RuntimeApiFolders, "DurableGen"),
        // The deployment tool's three folders are one API (what `durablegen package` and the build task call).
        new("src/DurableGen.Deployment", "DurableGen.Deployment", ["Manifest", "Packaging", "Template"]),
        new("src/DurableGen.Conformance.Contracts", "DurableGen.Conformance"),
        new("generators/DurableGen.Generators", "DurableGen.Generators"),
        new("generators/DurableGen.Generators.CodeFixes", "DurableGen.Generators.CodeFixes"),
        new("analyzers/DurableGen.Analyzers", "DurableGen.Analyzers"),
        new("analyzers/DurableGen.Analyzers.CodeFixes", "DurableGen.Analyzers.CodeFixes"),
        new("samples/OrderApproval", "OrderApproval"),
        // Engine/Operations holds the engine's per-operation-kind parts of the partial DurableExecutionEngine.
        new("src/DurableGen.Emulator", "DurableGen.Emulator", partialFolders: ["Engine/Operations"]),
        // What a test author writes against is one namespace, as the runtime's user API is DurableGen.
        new("src/DurableGen.Testing", "DurableGen.Testing", ["InProcess", "Results"], "DurableGen.Testing"),
        new("src/DurableGen.Cli", "DurableGen.Cli"),
        new("src/DurableGen.OpenTelemetry", "DurableGen.OpenTelemetry"),
        new("src/DurableGen.Conformance.Runner", "DurableGen.Conformance"),
        new("src/DurableGen.Conformance.Handlers", "DurableGen.Conformance.Handlers"),
        new("src/DurableGen.LocalService", "DurableGen.LocalService"),
        new("src/DurableGen.Conformance.Cli", "DurableGen.Conformance.Cli"),
    ];

    /// <summary>Not checked: the template pack's sources are the user's new project, namespaced by its name.</summary>
    public static readonly IReadOnlyList<string> Excluded = ["src/DurableGen.Templates"];
}
