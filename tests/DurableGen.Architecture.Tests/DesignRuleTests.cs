using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DurableGen.Architecture.Tests;

/// <summary>design.md §2's dependency rules hold for the built parts.</summary>
public sealed class DesignRuleTests
{
    [Fact]
    public void Every_part_is_read_from_its_build()
    {
        var names = BuiltAssemblies.All.Select(a => a.Name).ToList();

        Assert.Equal(BuiltAssemblies.Parts.Select(p => p.Assembly), names);
        // The replay core works on the wire model, so its uses of Protocol types must be seen.
        var runtime = BuiltAssemblies.All.Single(a => a.Name == DesignRules.Runtime);
        Assert.Contains(runtime.Uses, u => u.User.Namespace == "DurableGen.Execution"
                                           && u.Used is { Assembly: DesignRules.Runtime, Namespace: "DurableGen.Protocol" });
    }

    [Fact]
    public void The_built_parts_keep_the_dependency_rules()
    {
        var violations = DesignRules.Check(BuiltAssemblies.All);

        Assert.True(violations.Count == 0,
            $"{violations.Count} dependency rule violation(s):{Environment.NewLine}" + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Each_rule_names_a_part_that_exists()
    {
        var names = BuiltAssemblies.Parts.Select(p => p.Assembly).ToHashSet();

        Assert.All(new[] { DesignRules.Runtime, DesignRules.Engine, DesignRules.Testing, DesignRules.LocalService,
            DesignRules.Cli, DesignRules.ConformanceHandlers, DesignRules.ConformanceRunner }.Concat(DesignRules.RoslynComponents),
            n => Assert.Contains(n, names));
    }
}

/// <summary>Folder = namespace holds in the projects it is enforced on.</summary>
public sealed class FolderNamespaceTests
{
    [Fact]
    public void Enforced_projects_have_folder_namespaces()
    {
        var violations = FolderNamespaceProjects.Enforced
            .SelectMany(rule => rule.Check(SourceFile.Read(TestSupport.RepositoryRoot.Combine(rule.Project))))
            .ToList();

        Assert.True(violations.Count == 0,
            $"{violations.Count} file(s) break folder = namespace:{Environment.NewLine}" + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_project_with_sources_is_enforced()
    {
        var listed = FolderNamespaceProjects.Enforced.Select(r => r.Project).ToHashSet();
        var projects = new[] { "src", "generators", "analyzers", "samples" }
            .SelectMany(d => Directory.EnumerateFiles(TestSupport.RepositoryRoot.Combine(d), "*.csproj", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(TestSupport.RepositoryRoot.Path, Path.GetDirectoryName(p)!).Replace('\\', '/'))
            .Where(p => !FolderNamespaceProjects.Excluded.Any(e => p == e || p.StartsWith(e + "/", StringComparison.Ordinal)))
            .Where(p => SourceFile.Read(TestSupport.RepositoryRoot.Combine(p)).Count > 0)
            .ToList();

        Assert.All(projects, p => Assert.Contains(p, listed));
    }
}
