using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// The set-up of spec/hosting.md §4: empty ReferenceAssemblies plus Basic.Reference.Assemblies.Net100 (no download at
/// test time), and the real DurableGen and logging assemblies so user code compiles against the runtime's own types.
/// </summary>
internal static class TestReferences
{
    public static readonly ReferenceAssemblies Net100 = new("net10.0");

    public static readonly MetadataReference[] All =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(DurableGen.IDurableContext).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ];

    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using DurableGen;
        using Microsoft.Extensions.Logging;

        """;
}

internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    /// <summary>Verifies the markup diagnostics of <paramref name="source"/> (usings are prepended).</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync([source], expected);

    public static async Task VerifyAsync(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { ReferenceAssemblies = TestReferences.Net100 };
        var i = 0;
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(($"/0/Test{i++}.cs", TestReferences.Usings + source));
        }

        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }
}

internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Applies the fix (index <paramref name="codeActionIndex"/>) once and compares with <paramref name="fixedSource"/>.</summary>
    public static async Task VerifyAsync(string source, string fixedSource, int codeActionIndex = 0,
        params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.Net100,
            TestCode = TestReferences.Usings + source,
            FixedCode = TestReferences.Usings + fixedSource,
            CodeActionIndex = codeActionIndex,
            NumberOfFixAllIterations = 0,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllCheck;
        await test.RunAsync(CancellationToken.None);
    }
}

/// <summary>Fix All in document, project and solution scope: every scope must turn <c>sources</c> into <c>fixedSources</c> in one pass per document.</summary>
internal static class FixAllVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static async Task VerifyAsync(string[] sources, string[] fixedSources)
    {
        // The testing library silently skips its Fix All passes for a provider without one, so ask first.
        var provider = new TCodeFix().GetFixAllProvider();
        Xunit.Assert.NotNull(provider);
        Xunit.Assert.Subset(new System.Collections.Generic.HashSet<FixAllScope>(provider.GetSupportedFixAllScopes()),
            new System.Collections.Generic.HashSet<FixAllScope> { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution });
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.Net100,
            // One Fix All pass per scope: a provider without Fix All (or one whose edits conflict) fails here.
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = sources.Length,
            NumberOfFixAllInProjectIterations = 1,
            NumberOfIncrementalIterations = -1000,
        };
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"/0/Test{i}.cs", TestReferences.Usings + sources[i]));
            test.FixedState.Sources.Add(($"/0/Test{i}.cs", TestReferences.Usings + fixedSources[i]));
        }

        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        await test.RunAsync(CancellationToken.None);
    }
}
