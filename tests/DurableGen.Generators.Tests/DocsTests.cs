using System.IO;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Generators.Tests;

/// <summary>Every DG1xxx rule has its docs page, help link and release-tracking entry.</summary>
public sealed class DocsTests
{
    [Fact]
    public void Every_diagnostic_has_a_page_a_help_link_and_a_release_entry()
    {
        var root = RepositoryRoot.Path;
        var unshipped = File.ReadAllText(Path.Combine(root, "generators", "DurableGen.Generators", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in Descriptors.All)
        {
            var page = Path.Combine(root, "docs", "diagnostics", descriptor.Id + ".md");
            Assert.True(File.Exists(page), $"{descriptor.Id} has no docs page");
            Assert.StartsWith($"# {descriptor.Id}: {descriptor.Title}", File.ReadAllText(page));
            Assert.EndsWith($"docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped);
        }
    }
}
