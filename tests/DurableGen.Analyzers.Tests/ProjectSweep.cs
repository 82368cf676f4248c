using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Microsoft.CodeAnalysis.Text;

namespace DurableGen.Analyzers.Tests;

/// <summary>What running every DG2xxx analyzer over one project folder produced.</summary>
internal sealed record ProjectSweepResult(
    RepositoryProject Project,
    IReadOnlyList<string> AnalyzerExceptions,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    IReadOnlyDictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> Telemetry,
    int CompilerErrors,
    TimeSpan Elapsed);

/// <summary>
/// Compiles one project folder as the build would (generator first, then analyzers, concurrently) and records what
/// the analyzers did. References: the framework reference assemblies of the other analyzer tests, every assembly this
/// test project was built with (the runtime, Roslyn, xunit…), and the swept compilations of the projects it
/// references. Package references beyond those are missing and only make the code not compile: the analyzers must
/// cope with broken code too, so compile errors are counted, not failed on.
/// </summary>
internal static class ProjectSweep
{
    /// <summary>Every analyzer of DurableGen.Analyzers, found by attribute so a new one cannot be left out.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(DeterminismAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                    && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, preprocessorSymbols:
    [
        "NET", "NETCOREAPP", "NET10_0", "NET10_0_OR_GREATER", "NET9_0_OR_GREATER", "NET8_0_OR_GREATER",
        "NET7_0_OR_GREATER", "NET6_0_OR_GREATER", "NET5_0_OR_GREATER", "RELEASE",
    ]);

    private static readonly ImmutableArray<(string Name, MetadataReference Reference)> OutputAssemblies = FindOutputAssemblies();

    /// <summary>Sweeps <paramref name="project"/>; returns the result and the compilation (with generated code) for projects that reference it.</summary>
    public static async Task<(ProjectSweepResult Result, Compilation Compilation)> RunAsync(RepositoryProject project,
        IEnumerable<Compilation> referencedProjects, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var trees = project.Files.Select(file => CSharpSyntaxTree.ParseText(
            SourceText.From(File.ReadAllText(file), Encoding.UTF8), ParseOptions, file, cancellationToken));
        var compilation = CSharpCompilation.Create(project.AssemblyName, trees, References(project, referencedProjects),
            new CSharpCompilationOptions(project.Kind, nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new DurableWorkflowGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics,
            cancellationToken);

        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, diagnostic) =>
                exceptions.Enqueue($"{analyzer.GetType().Name}: {diagnostic.GetMessage()}\n{exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = generated.WithAnalyzers(Analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);

        var telemetry = new Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>();
        foreach (var analyzer in Analyzers)
        {
            telemetry[analyzer] = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, cancellationToken);
        }

        var compilerErrors = generated.GetDiagnostics(cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        var result = new ProjectSweepResult(project, exceptions.ToList(), diagnostics, generatorDiagnostics, telemetry,
            compilerErrors, watch.Elapsed);
        return (result, generated);
    }

    private static IEnumerable<MetadataReference> References(RepositoryProject project, IEnumerable<Compilation> referencedProjects)
    {
        // A project this test project was built with (the runtime, the analyzers) is referenced as built, once.
        var built = OutputAssemblies.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return Basic.Reference.Assemblies.Net100.References.All
            .Concat(OutputAssemblies.Where(a => a.Name != project.AssemblyName).Select(a => a.Reference))
            .Concat(referencedProjects.Where(c => !built.Contains(c.AssemblyName!)).Select(c => c.ToMetadataReference()));
    }

    /// <summary>
    /// The managed assemblies next to this test assembly (the runtime, Roslyn, xunit, the AWS SDK…) except this one and
    /// any the framework reference set already has, which would make its types ambiguous.
    /// </summary>
    private static ImmutableArray<(string, MetadataReference)> FindOutputAssemblies()
    {
        var framework = Basic.Reference.Assemblies.Net100.References.All
            .Select(r => Path.GetFileNameWithoutExtension(r.FilePath ?? r.Display ?? string.Empty))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var self = typeof(ProjectSweep).Assembly.GetName().Name;
        var result = ImmutableArray.CreateBuilder<(string, MetadataReference)>();
        foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").Order(StringComparer.Ordinal))
        {
            string? name;
            try
            {
                name = AssemblyName.GetAssemblyName(path).Name;
            }
            catch (BadImageFormatException)
            {
                continue; // a native library
            }

            if (name is not null && name != self && !framework.Contains(name))
            {
                result.Add((name, MetadataReference.CreateFromFile(path)));
            }
        }

        return result.ToImmutable();
    }
}
