using System.IO;
using System.Linq;
using Xunit;

namespace DurableGen.Architecture.Tests;

/// <summary>
/// The checkers fail on planted violations: assemblies compiled in memory (and files made up) that break exactly one
/// rule, next to the real runtime, must produce exactly that violation, naming the rule, the type and the reference.
/// </summary>
public sealed class PlantedViolationTests
{
    private static readonly byte[] s_runtime =
        File.ReadAllBytes(BuiltAssemblies.PathOf("src/DurableGen", DesignRules.Runtime));

    [Fact]
    public void An_engine_type_using_a_runtime_hosting_type_is_reported()
    {
        var engine = PlantedAssembly.Compile(DesignRules.Engine, """
            namespace DurableGen.Emulator.Engine;
            public static class PlantedScheduler
            {
                public static string Describe(DurableGen.Protocol.Operation operation) => operation.Id + Name();
                private static string Name() => nameof(DurableGen.DurableFunction) + typeof(DurableGen.DurableFunction).Name;
            }
            """, s_runtime);

        var violations = DesignRules.Check([PlantedAssembly.Facts(engine)]);

        var violation = Assert.Single(violations);
        Assert.Equal(new Violation("the engine uses only the runtime's Protocol types",
            "DurableGen.Emulator.Engine.PlantedScheduler", "DurableGen.DurableFunction [DurableGen]"), violation);
        Assert.Equal("[the engine uses only the runtime's Protocol types] DurableGen.Emulator.Engine.PlantedScheduler"
                     + " -> DurableGen.DurableFunction [DurableGen]", violation.ToString());
    }

    [Fact]
    public void A_use_inside_a_lambda_counts_for_the_type_that_holds_it()
    {
        var engine = PlantedAssembly.Compile(DesignRules.Engine, """
            namespace DurableGen.Emulator.Store;
            public static class PlantedStore
            {
                public static System.Func<object> Later() => () => new DurableGen.StepConfig();
            }
            """, s_runtime);

        var violation = Assert.Single(DesignRules.Check([PlantedAssembly.Facts(engine)]));

        Assert.Equal(new Violation("the engine uses only the runtime's Protocol types",
            "DurableGen.Emulator.Store.PlantedStore", "DurableGen.StepConfig [DurableGen]"), violation);
    }

    [Fact]
    public void The_engine_hosting_kit_may_use_runtime_hosting_types()
    {
        var engine = PlantedAssembly.Compile(DesignRules.Engine, """
            namespace DurableGen.Emulator.Hosting;
            public static class PlantedHost
            {
                public static string Name() => typeof(DurableGen.DurableFunction).Name;
            }
            """, s_runtime);

        Assert.Empty(DesignRules.Check([PlantedAssembly.Facts(engine)]));
    }

    [Fact]
    public void A_protocol_type_using_a_runtime_type_is_reported()
    {
        var runtime = PlantedAssembly.Compile(DesignRules.Runtime, """
            namespace DurableGen.Protocol
            {
                public sealed class PlantedOperation { public DurableGen.Execution.PlantedState? State { get; set; } }
            }
            namespace DurableGen.Execution
            {
                public sealed class PlantedState { }
            }
            """);

        var violation = Assert.Single(DesignRules.Check([PlantedAssembly.Facts(runtime)]));

        Assert.Equal(new Violation("Protocol uses no other DurableGen namespace",
            "DurableGen.Protocol.PlantedOperation", "DurableGen.Execution.PlantedState [DurableGen]"), violation);
    }

    [Fact]
    public void The_runtime_using_an_assembly_of_ours_is_reported()
    {
        var engine = PlantedAssembly.Compile(DesignRules.Engine, "namespace DurableGen.Emulator; public sealed class PlantedEngine { }");
        var runtime = PlantedAssembly.Compile(DesignRules.Runtime, """
            namespace DurableGen.Execution;
            internal static class PlantedCore { public static object Start() => new DurableGen.Emulator.PlantedEngine(); }
            """, engine);

        var violation = Assert.Single(DesignRules.Check([PlantedAssembly.Facts(runtime), PlantedAssembly.Facts(engine)]));

        Assert.Equal(new Violation("the runtime depends on nothing of ours",
            "DurableGen.Execution.PlantedCore", "DurableGen.Emulator.PlantedEngine [DurableGen.Emulator]"), violation);
    }

    [Fact]
    public void The_conformance_handlers_using_the_runner_are_reported()
    {
        var runner = PlantedAssembly.Compile(DesignRules.ConformanceRunner, "namespace DurableGen.Conformance; public class PlantedCatalog { }");
        var handlers = PlantedAssembly.Compile(DesignRules.ConformanceHandlers, """
            namespace DurableGen.Conformance.Handlers.Step;
            public sealed class PlantedCase : DurableGen.Conformance.PlantedCatalog { }
            """, runner);

        var violation = Assert.Single(DesignRules.Check([PlantedAssembly.Facts(handlers)]));

        Assert.Equal(new Violation("the conformance handlers do not reference the conformance runner",
            "DurableGen.Conformance.Handlers.Step.PlantedCase", "DurableGen.Conformance.PlantedCatalog [DurableGen.Conformance.Runner]"),
            violation);
    }

    [Fact]
    public void The_CLI_referencing_DurableGen_Testing_is_reported()
    {
        var testing = PlantedAssembly.Compile(DesignRules.Testing, "namespace DurableGen.Testing; public sealed class DurableTestRunner { }");
        var cli = PlantedAssembly.Compile(DesignRules.Cli, """
            namespace DurableGen.Cli.Commands;
            public static class PlantedCommand { public static object Run() => new DurableGen.Testing.DurableTestRunner(); }
            """, testing);

        var violation = Assert.Single(DesignRules.Check([PlantedAssembly.Facts(cli), PlantedAssembly.Facts(testing)]));

        Assert.Equal(new Violation("the CLI does not reference DurableGen.Testing",
            "DurableGen.Cli.Commands.PlantedCommand", "DurableGen.Testing.DurableTestRunner [DurableGen.Testing]"), violation);
    }

    [Fact]
    public void A_generator_referencing_the_runtime_is_reported()
    {
        var generator = PlantedAssembly.Compile("DurableGen.Generators", """
            namespace DurableGen.Generators;
            public sealed class PlantedGenerator { public DurableGen.StepConfig Config { get; } = new(); }
            """, s_runtime);

        var violation = Assert.Single(DesignRules.Check([PlantedAssembly.Facts(generator)]));

        Assert.Equal(new Violation("the generator and analyzers never reference the runtime assembly",
            "DurableGen.Generators.PlantedGenerator", "DurableGen.StepConfig [DurableGen]"), violation);
    }

    [Fact]
    public void A_file_whose_namespace_is_not_its_folder_is_reported()
    {
        var rule = new FolderNamespaceRule("src/DurableGen", "DurableGen", FolderNamespaceProjects.RuntimeApiFolders, "DurableGen");
        SourceFile[] files =
        [
            new("Protocol/Operation.cs", "namespace DurableGen.Protocol;\npublic sealed class Operation { }"),
            new("Hosting/DurableFunction.cs", "namespace DurableGen;\npublic static class DurableFunction { }"),
            new("Protocol/Planted.cs", "using System;\n\nnamespace DurableGen;\n\npublic sealed class Planted { }"),
            new("Polyfills/IsExternalInit.cs", "namespace System.Runtime.CompilerServices;\ninternal static class IsExternalInit { }"),
            new("AssemblyInfo.cs", "[assembly: System.CLSCompliant(false)]"),
            new("Config/Loose.cs", "internal sealed class Loose { }"),
        ];

        var violations = rule.Check(files).ToList();

        Assert.Equal(
        [
            new Violation("folder = namespace", "src/DurableGen/Protocol/Planted.cs", "namespace DurableGen, expected DurableGen.Protocol"),
            new Violation("folder = namespace", "src/DurableGen/Config/Loose.cs", "no namespace, expected DurableGen"),
        ], violations);
    }

    [Fact]
    public void A_partial_folder_takes_its_parents_namespace_and_nothing_else()
    {
        var rule = new FolderNamespaceRule("src/DurableGen.Emulator", "DurableGen.Emulator", partialFolders: ["Engine/Operations"]);
        SourceFile[] files =
        [
            new("Engine/Operations/StepRules.cs", "namespace DurableGen.Emulator.Engine;\npublic sealed partial class DurableExecutionEngine { }"),
            new("Engine/Operations/Planted.cs", "namespace DurableGen.Emulator.Engine.Operations;\ninternal sealed class Planted { }"),
            new("Store/Deeper/Planted.cs", "namespace DurableGen.Emulator.Store;\ninternal sealed class Deeper { }"),
        ];

        var violations = rule.Check(files).ToList();

        Assert.Equal(
        [
            new Violation("folder = namespace", "src/DurableGen.Emulator/Engine/Operations/Planted.cs",
                "namespace DurableGen.Emulator.Engine.Operations, expected DurableGen.Emulator.Engine"),
            new Violation("folder = namespace", "src/DurableGen.Emulator/Store/Deeper/Planted.cs",
                "namespace DurableGen.Emulator.Store, expected DurableGen.Emulator.Store.Deeper"),
        ], violations);
    }
}
