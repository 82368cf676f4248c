using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
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
