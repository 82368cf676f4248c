using System;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// What a user tries before the package: a project outside this repository (so none of its Directory.Build files)
/// with a ProjectReference to src/DurableGen and nothing else gets the generator and the analyzers, as the package
/// gives them.
/// </summary>
[Collection(DotnetCliCollection.Name)]
public sealed class RuntimeProjectReferenceTests
{
    private const string Workflow = """
        using System;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using DurableGen;

        namespace Outside;

        [DurableWorkflow(FunctionName = "greeter")]
        public sealed partial class Greeter
        {
            public async Task<string> RunAsync(string name, IDurableContext context)
            {
                var stamp = DateTime.UtcNow;   // DG2001: only the analyzers say so
                return await context.StepAsync((_, _) => Task.FromResult($"Hello, {name} ({stamp:O})"), "compose");
            }
        }

        [JsonSerializable(typeof(string))]
        internal sealed partial class AppJson : JsonSerializerContext;
        """;

    [Fact]
    public async Task A_project_reference_to_the_runtime_brings_the_generator_and_the_analyzers()
    {
        using var project = CreateProject();
        var (code, stdout, stderr) = await BuildAsync(project);

        // Without the generator the build fails with CS5001 (no Main); without the analyzers there is no DG2001.
        Assert.True(code == 0, $"dotnet build failed:\n{stdout}\n{stderr}");
        Assert.Contains("warning DG2001", stdout, StringComparison.Ordinal);
        Assert.Equal("DurableGen.Generated.DurableLambdaEntryPoint", EntryPointType(project.PathOf("bin/Release/net10.0/bootstrap.dll")));

        // The Roslyn components are analyzers only: neither compiled against nor copied next to the function.
        Assert.False(File.Exists(project.PathOf("bin/Release/net10.0/DurableGen.Generators.dll")));
        Assert.False(File.Exists(project.PathOf("bin/Release/net10.0/DurableGen.Analyzers.dll")));
    }

    [Fact]
    public async Task Analyzer_references_next_to_the_runtime_reference_do_not_run_the_generator_twice()
    {
        // The form analyzers/README.md gave before the runtime reference brought them: the same assemblies twice.
        using var project = CreateProject("""
            <ProjectReference Include="{repo}/generators/DurableGen.Generators/DurableGen.Generators.csproj"
                              OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
            <ProjectReference Include="{repo}/analyzers/DurableGen.Analyzers/DurableGen.Analyzers.csproj"
                              OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
            """);
        var (code, stdout, stderr) = await BuildAsync(project);

        // A second generator run would declare DurableWorkflows and Greeter's members twice (CS0101, CS0111).
        Assert.True(code == 0, $"dotnet build failed:\n{stdout}\n{stderr}");
        Assert.Equal("DurableGen.Generated.DurableLambdaEntryPoint", EntryPointType(project.PathOf("bin/Release/net10.0/bootstrap.dll")));
    }

    [Fact]
    public async Task The_Program_cs_of_dotnet_new_console_fails_the_build_with_DG1018()
    {
        // The trap: this Main wins over the generated one, builds with no warning, and under Lambda exits at once.
        using var project = CreateProject();
        File.WriteAllText(project.PathOf("Program.cs"), """
            // See https://aka.ms/new-console-template for more information
            Console.WriteLine("Hello, World!");
            """);
        File.WriteAllText(project.PathOf("Usings.cs"), "global using System;\n");

        var (code, stdout, stderr) = await BuildAsync(project);

        Assert.True(code != 0, $"dotnet build succeeded:\n{stdout}\n{stderr}");
        Assert.Contains("Program.cs(2,1): error DG1018", stdout, StringComparison.Ordinal);
        Assert.Contains("the function 'Greeter'", stdout, StringComparison.Ordinal);
    }

    private static OutsideProject CreateProject(string extraReferences = "") =>
        OutsideProject.Create("projectref", "Greeter.cs", Workflow, extraReferences);

    private static Task<(int Code, string Stdout, string Stderr)> BuildAsync(OutsideProject project) =>
        project.DotnetAsync("build", project.Directory, "-c", "Release", "-nodeReuse:false", "-clp:NoSummary");

    /// <summary>The full name of the type whose method is the assembly's entry point.</summary>
    private static string EntryPointType(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        var token = pe.PEHeaders.CorHeader!.EntryPointTokenOrRelativeVirtualAddress;
        Assert.NotEqual(0, token);
        var method = metadata.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(token & 0x00FFFFFF));
        var type = metadata.GetTypeDefinition(method.GetDeclaringType());
        return metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
    }
}
