using System;
using System.IO;
using System.IO.Compression;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>Tests that run the dotnet CLI on the repository run one at a time: they build the same projects.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DotnetCliCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "dotnet CLI";
}

/// <summary>The DurableGen package: the runtime for both frameworks, with the generator and analyzers inside, its
/// readme, license and links, and the diagnostics pages.</summary>
[Collection(DotnetCliCollection.Name)]
public sealed class PackageTests
{
    /// <summary>The shippable packages: the runtime, the test runner and the engine under it, the tool.</summary>
    private static readonly string[] Shipped = ["DurableGen", "DurableGen.Testing", "DurableGen.Emulator", "DurableGen.Cli", "DurableGen.Templates"];

    /// <summary>Projects that ship inside another package or not at all.</summary>
    private static readonly string[] Carried =
    [
        "src/DurableGen.LocalService", "src/DurableGen.Deployment", "src/DurableGen.Conformance.Cli",
        "src/DurableGen.Conformance.Runner", "src/DurableGen.Conformance.Handlers", "generators/DurableGen.Generators",
        "generators/DurableGen.Generators.CodeFixes", "analyzers/DurableGen.Analyzers", "analyzers/DurableGen.Analyzers.CodeFixes",
        "samples/OrderApproval",
    ];

    [Fact]
    public async Task Every_packable_project_has_its_readme_license_links_tags_and_description()
    {
        // Evaluation only (no pack): what dotnet pack would put in each nuspec.
        var root = RepositoryRoot.Path;
        var projects = new[] { "src", "generators", "analyzers", "samples" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(root, d), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            // The templates' content is what `dotnet new` writes into a user's folder, not a project of this repository.
            .Where(p => !p.StartsWith(Path.Combine(root, "src", "DurableGen.Templates", "content"), StringComparison.Ordinal))
            .ToList();
        var evaluated = await Task.WhenAll(projects.Select(async project => (Project: project, Properties: await EvaluateAsync(project))));

        var packable = evaluated.Where(e => e.Properties["IsPackable"] == "true").ToList();
        Assert.Equal(Shipped.Order(), packable.Select(e => e.Properties["PackageId"]).Where(Shipped.Contains).Order());
        foreach (var folder in Carried)
        {
            var project = evaluated.Single(e => Path.GetDirectoryName(e.Project) == Path.Combine(root, folder));
            Assert.True(project.Properties["IsPackable"] == "false", $"{folder} is packable");
        }

        foreach (var (project, properties) in packable)
        {
            var name = Path.GetFileName(project);
            Assert.Equal("README.md", properties["PackageReadmeFile"]);
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "README.md")), $"{name} has no README.md");
            Assert.Equal("Apache-2.0", properties["PackageLicenseExpression"]);
            Assert.Equal("https://github.com/durablegen/durablegen", properties["PackageProjectUrl"]);
            Assert.Equal("https://github.com/durablegen/durablegen", properties["RepositoryUrl"]);
            Assert.False(string.IsNullOrWhiteSpace(properties["Description"]), $"{name} has no Description");
            Assert.Contains("durable-functions", properties["PackageTags"], StringComparison.Ordinal);
            Assert.Equal("snupkg", properties["SymbolPackageFormat"]);
        }

        Assert.True(File.Exists(Path.Combine(root, "LICENSE")), "no LICENSE at the repository root");
        Assert.Contains("Apache License", await File.ReadAllTextAsync(Path.Combine(root, "LICENSE")), StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> EvaluateAsync(string project)
    {
        string[] names =
        [
            "IsPackable", "PackageId", "PackageReadmeFile", "PackageLicenseExpression", "PackageProjectUrl", "RepositoryUrl",
            "Description", "PackageTags", "SymbolPackageFormat",
        ];
        var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet",
            ["msbuild", project, "-nologo", .. names.Select(n => "-getProperty:" + n)], 120,
            "dotnet is missing: install the .NET SDK global.json names.", RepositoryRoot.Path);
        Assert.True(code == 0, $"evaluating {project} failed:\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    [Fact]
    public async Task The_package_carries_the_runtime_and_ships_the_generator_and_analyzers_as_roslyn_components()
    {
        var root = RepositoryRoot.Path;

        var output = Path.Combine(Path.GetTempPath(), "durablegen-pack-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet",
                ["pack", "src/DurableGen", "-c", "Release", "-o", output, "-nodeReuse:false"], 600,
                "dotnet is missing: install the .NET SDK global.json names.", root);
            Assert.True(code == 0, $"dotnet pack failed:\n{stdout}\n{stderr}");

            using var package = ZipFile.OpenRead(Directory.GetFiles(output, "DurableGen.*.nupkg").Single());
            var entries = package.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net8.0/DurableGen.dll", entries);
            Assert.Contains("lib/net10.0/DurableGen.dll", entries);
            Assert.Contains("lib/net10.0/DurableGen.xml", entries);
            foreach (var component in new[]
                     {
                         "DurableGen.Generators", "DurableGen.Generators.CodeFixes", "DurableGen.Analyzers",
                         "DurableGen.Analyzers.CodeFixes",
                     })
            {
                Assert.Contains($"analyzers/dotnet/cs/{component}.dll", entries);
            }

            // dotnet build -p:DurableGenPackage=true: the targets and the deployment tool they run.
            Assert.Contains("build/DurableGen.targets", entries);
            Assert.Contains("buildTransitive/DurableGen.targets", entries);
            Assert.Contains("tools/deployment/DurableGen.Deployment.dll", entries);
            Assert.Contains("tools/deployment/DurableGen.Deployment.runtimeconfig.json", entries);
            Assert.Contains("tools/deployment/YamlDotNet.dll", entries);

            // The Roslyn components must not leak in as compile references.
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Analyzers", StringComparison.Ordinal));
            var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var reader = new StreamReader(nuspec.Open());
            var manifest = await reader.ReadToEndAsync();
            Assert.DoesNotContain("DurableGen.Generators", manifest, StringComparison.Ordinal);
            Assert.Contains("AWSSDK.Core", manifest, StringComparison.Ordinal);

            // What nuget.org shows: the readme, the license, where the source is.
            Assert.Contains("README.md", entries);
            Assert.Contains("<readme>README.md</readme>", manifest, StringComparison.Ordinal);
            Assert.Contains("<license type=\"expression\">Apache-2.0</license>", manifest, StringComparison.Ordinal);
            Assert.Contains("<projectUrl>https://github.com/durablegen/durablegen</projectUrl>", manifest, StringComparison.Ordinal);
            Assert.Contains("<repository type=\"git\" url=\"https://github.com/durablegen/durablegen\"", manifest, StringComparison.Ordinal);
            Assert.Contains("source-generator", manifest, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(output, "DurableGen.*.snupkg"));

            // Every diagnostics page a help link opens, also offline in the package.
            var pages = Directory.GetFiles(Path.Combine(root, "docs", "diagnostics"), "*.md");
            Assert.True(pages.Length > 30, $"only {pages.Length} diagnostics pages");
            foreach (var page in pages)
            {
                Assert.Contains("docs/diagnostics/" + Path.GetFileName(page), entries);
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
