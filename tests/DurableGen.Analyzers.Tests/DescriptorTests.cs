using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Analyzers.Tests;

public class DescriptorTests
{
    private static readonly DiagnosticAnalyzer[] Analyzers =
        [new DeterminismAnalyzer(), new DurableStructureAnalyzer(), new CancellationAnalyzer(), new CallbackAnalyzer()];

    public static IEnumerable<object[]> Descriptors() =>
        Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => new object[] { d.Id });

    private static DiagnosticDescriptor Find(string id) =>
        Analyzers.SelectMany(a => a.SupportedDiagnostics).Single(d => d.Id == id);

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Every_rule_has_a_docs_page_a_help_link_and_a_release_entry(string id)
    {
        var descriptor = Find(id);
        Assert.Matches("^DG2[0-9]{3}$", id);
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics", id + ".md"));
        Assert.Contains("## Wrong", page);
        Assert.Contains("## Right", page);
        Assert.Contains("## What goes wrong on replay", page);
        Assert.Contains(descriptor.Title.ToString(), page);
        var releases = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "analyzers", "DurableGen.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases);
    }

    /// <summary>
    /// Info is invisible in <c>dotnet build</c>. These cost a defect in production (a line logged again on every replay,
    /// an execution that can hang for a year), so the build must show them; each page says why.
    /// </summary>
    [Theory]
    [InlineData("DG2007")]
    [InlineData("DG2021")]
    public void Rules_with_a_production_cost_are_warnings_and_their_pages_say_why(string id)
    {
        Assert.Equal(DiagnosticSeverity.Warning, Find(id).DefaultSeverity);
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics", id + ".md"));
        Assert.Contains("| Severity | Warning", page);
        Assert.Contains("**Why a warning.**", page);
    }

    [Fact]
    public void Ids_are_unique() =>
        Assert.Equal(Descriptors().Count(), Descriptors().Select(d => (string)d[0]).Distinct().Count());

    [Fact]
    public async Task Severity_is_configurable_in_editorconfig()
    {
        var test = new CSharpAnalyzerTest<DeterminismAnalyzer, DefaultVerifier> { ReferenceAssemblies = TestReferences.Net100 };
        test.TestState.Sources.Add(("/0/Test0.cs", TestReferences.Usings + """
            class W
            {
                public Task<object> RunAsync(string input, IDurableContext context) =>
                    Task.FromResult<object>({|#0:Guid.NewGuid()|}.ToString() + DateTime.UtcNow + Console.Out);
            }
            """));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.DG2001.severity = none
            dotnet_diagnostic.DG2007.severity = none
            """));
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.Randomness).WithLocation(0)
            .WithArguments("Guid.NewGuid", "RunAsync → Guid.NewGuid"));
        await test.RunAsync(CancellationToken.None);
    }
}
