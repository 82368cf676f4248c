using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Generators.Tests;

/// <summary>
/// Runs the generator over an in-memory compilation built from Basic.Reference.Assemblies.Net100 plus the real
/// DurableGen runtime (spec/hosting.md §4), with C# 12 and nullable enabled as a net8.0 user project would have.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly MetadataReference[] References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IDurableContext).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ];

    public const string Usings = """
        using System;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;
        using System.Threading;
        using System.Threading.Tasks;
        using DurableGen;

        """;

    /// <summary>
    /// A JsonSerializerContext written by hand (the System.Text.Json generator does not run in these tests): it has the
    /// <c>Default</c> instance generated code refers to.
    /// </summary>
    public static string StubContext(string name, params string[] types) =>
        string.Concat(types.Select(t => $"[JsonSerializable(typeof({t}))]\n")) + $$"""
        public partial class {{name}} : JsonSerializerContext
        {
            public {{name}}() : base(null) { }
            public static {{name}} Default { get; } = new();
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }

        """;

    public static CSharpCompilation Compile(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary) =>
        CSharpCompilation.Create("UserAssembly",
            [CSharpSyntaxTree.ParseText(Usings + source, new CSharpParseOptions(LanguageVersion.CSharp12), "/src/User.cs")],
            References,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the generator; <paramref name="deploymentAnalysis"/> sets the build property
    /// <c>DurableGenDeploymentAnalysis</c>, as <c>durablegen package</c> does.</summary>
    public static GeneratorRun Run(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary, bool deploymentAnalysis = false)
    {
        var compilation = Compile(source, kind);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new DurableWorkflowGenerator().AsSourceGenerator()],
            parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12),
            optionsProvider: new BuildProperties(deploymentAnalysis
                ? new Dictionary<string, string> { ["build_property.DurableGenDeploymentAnalysis"] = "true" }
                : new Dictionary<string, string>()),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(driver, compilation, output, diagnostics);
    }

    /// <summary>Runs the generator and checks that it and the compiler report nothing, then returns the generated files.</summary>
    public static IReadOnlyDictionary<string, string> RunClean(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var run = Run(source, kind);
        Assert.Empty(run.GeneratorDiagnostics);
        var problems = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", problems));
        return run.Generated;
    }

    /// <summary>Compares <paramref name="actual"/> with Snapshots/<paramref name="name"/>; DURABLEGEN_UPDATE_SNAPSHOTS=1 rewrites it.</summary>
    public static void MatchSnapshot(string name, string actual)
    {
        var path = RepositoryRoot.Combine("tests", "DurableGen.Generators.Tests", "Snapshots", name);
        actual = Normalize(actual);
        if (Environment.GetEnvironmentVariable("DURABLEGEN_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path),
            $"Snapshot {path} is missing. Check the output below and run with DURABLEGEN_UPDATE_SNAPSHOTS=1 to write it:\n{actual}");
        var expected = Normalize(File.ReadAllText(path));
        if (expected == actual)
        {
            return;
        }

        Assert.Fail($"Generated code differs from {path} (- expected, + actual):\n" + Diff(expected, actual));
    }

    /// <summary>A line diff (longest common subsequence), enough to read a snapshot mismatch.</summary>
    private static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var text = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                text.Append("  ").AppendLine(a[x]);
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                text.Append("+ ").AppendLine(b[y++]);
            }
            else
            {
                text.Append("- ").AppendLine(a[x++]);
            }
        }

        return text.ToString();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}

internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Input, Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public IReadOnlyDictionary<string, string> Generated { get; } = Driver.GetRunResult().GeneratedTrees
        .ToDictionary(t => Path.GetFileName(t.FilePath), t => t.ToString());

    /// <summary>"DG1001@12" entries (id and 1-based line in the user file, usings excluded), sorted.</summary>
    public IReadOnlyList<string> Ids { get; } = GeneratorDiagnostics
        .Select(d => $"{d.Id}@{(d.Location.Kind != LocationKind.None ? d.Location.GetLineSpan().StartLinePosition.Line + 1 - UsingsLines : 0)}")
        .OrderBy(s => s, StringComparer.Ordinal).ToList();

    private static readonly int UsingsLines = GeneratorHarness.Usings.Split('\n').Length - 1;
}

/// <summary>Global analyzer config options, as MSBuild passes compiler-visible properties (<c>build_property.*</c>).</summary>
internal sealed class BuildProperties(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(values);

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }
}
