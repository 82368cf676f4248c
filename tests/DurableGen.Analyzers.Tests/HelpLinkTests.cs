using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using DurableGen.Generators;
using DurableGen.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// Every diagnostic the DurableGen package's Roslyn components can report (DG1xxx from the generator's assembly, DG2xxx
/// from the analyzers') opens its own page: the help link is the repository's docs/diagnostics/&lt;id&gt;.md, that page
/// exists, and it is the page the package carries. Found by reflection, so a new descriptor cannot be left out.
/// </summary>
public sealed class HelpLinkTests
{
    /// <summary>Where the pages are published: the package's RepositoryUrl (Directory.Build.props) and the docs folder.</summary>
    private const string PagesBase = "https://github.com/durablegen/durablegen/blob/main/docs/diagnostics/";

    private static readonly Assembly[] Components = [typeof(DurableWorkflowGenerator).Assembly, typeof(DeterminismAnalyzer).Assembly];

    public static IEnumerable<object[]> Ids() => All().Select(d => d.Id).Distinct().Order().Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_help_link_opens_the_page_of_the_rule(string id)
    {
        foreach (var descriptor in All().Where(d => d.Id == id))
        {
            Assert.Equal(PagesBase + id + ".md", descriptor.HelpLinkUri);
            var page = Path.Combine(RepositoryRoot.Path, "docs", "diagnostics", id + ".md");
            Assert.True(File.Exists(page), $"{id} links to {descriptor.HelpLinkUri}, but docs/diagnostics/{id}.md does not exist");
            Assert.StartsWith($"# {id}: {descriptor.Title}", File.ReadAllText(page), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Both_assemblies_link_to_the_repository_the_packages_name()
    {
        Assert.Equal(PagesBase, HelpLinkBase(typeof(DurableWorkflowGenerator).Assembly));
        Assert.Equal(PagesBase, HelpLinkBase(typeof(DeterminismAnalyzer).Assembly));
        var props = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
        Assert.Contains("<RepositoryUrl>" + PagesBase[..PagesBase.IndexOf("/blob/", StringComparison.Ordinal)] + "</RepositoryUrl>", props,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Every_page_belongs_to_a_rule_and_every_analyzer_is_found()
    {
        var ids = All().Select(d => d.Id).ToHashSet();
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics"), "*.md")
            .Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.DoesNotContain(pages, p => !ids.Contains(p!));

        // The reflection sees both kinds of rule: the generator's (DG1001) and an analyzer's of each assembly.
        Assert.Contains("DG1001", ids);
        Assert.Contains("DG1009", ids);
        Assert.Contains("DG1018", ids);
        Assert.Contains("DG2001", ids);
    }

    /// <summary>
    /// The descriptors of every analyzer's SupportedDiagnostics, and every static DiagnosticDescriptor field (the
    /// generator reports its own without being an analyzer).
    /// </summary>
    private static IEnumerable<DiagnosticDescriptor> All()
    {
        foreach (var type in Components.SelectMany(a => a.GetTypes()))
        {
            if (typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && !type.IsAbstract)
            {
                foreach (var descriptor in ((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics)
                {
                    yield return descriptor;
                }
            }

            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (field.FieldType == typeof(DiagnosticDescriptor) && field.GetValue(null) is DiagnosticDescriptor descriptor)
                {
                    yield return descriptor;
                }
            }
        }
    }

    private static string HelpLinkBase(Assembly assembly) =>
        (string)assembly.GetTypes().Select(t => t.GetField("HelpLinkBase", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Single(f => f is not null)!.GetRawConstantValue()!;
}
