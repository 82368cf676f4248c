using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.Deployment.Tests;

/// <summary>The manifest read from a built assembly, the Lambda zip, and the cross toolchain check.</summary>
public sealed class ManifestAndPackagingTests
{
    [Fact]
    public void The_manifest_of_the_samples_build_lists_its_three_functions()
    {
        var manifest = ManifestReader.Read(Manifests.SampleAssembly);

        Assert.Equal("bootstrap", manifest.AssemblyName);
        Assert.Equal(["order-approval", "order-approval-handoff", "order-approver"], manifest.Functions.Select(f => f.Name));
        var workflow = manifest.Find("order-approval")!;
        Assert.True(workflow.IsDurable);
        Assert.Equal("arm64", workflow.Architecture);
        Assert.Equal(7 * 24 * 3600, workflow.ExecutionTimeout);
        Assert.Equal(30, workflow.RetentionPeriodInDays);
        var approver = manifest.Find("order-approver")!;
        Assert.False(approver.IsDurable);
        Assert.Equal(("x86_64", 256, 30), (approver.Architecture, approver.MemorySize, approver.FunctionTimeout));
        Assert.Equal(["x86_64", "arm64"], manifest.Architectures);

        // An ordinary build does not follow the code (that is durablegen package's build): nothing is declared, so
        // nothing is listed. PackagedSampleTests checks what the packaged build finds.
        Assert.False(manifest.Analyzed);
        Assert.Empty(workflow.Invokes);
        Assert.Empty(approver.CompletesCallbacksOf);
    }

    [Fact]
    public void An_assembly_without_functions_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ManifestReader.Read(typeof(ManifestReader).Assembly.Location));
        Assert.Contains("holds no DurableGen functions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_of_another_schema_is_refused_with_what_to_do()
    {
        var error = Assert.Throws<FormatException>(() => DeploymentManifest.Parse("bootstrap", """{"schema":2,"analyzed":true,"functions":[]}"""));
        Assert.Contains("schema 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("same version", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-pe", "is not a .NET assembly")]
    [InlineData("missing", "Could not find")]
    public async Task The_tool_reports_an_unreadable_assembly_as_an_error_not_a_crash(string kind, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), "durablegen-" + Guid.NewGuid().ToString("N") + ".dll");
        if (kind == "not-a-pe")
        {
            File.WriteAllText(path, "Resources: {}");
        }

        try
        {
            var tool = Path.Combine(AppContext.BaseDirectory, "DurableGen.Deployment.dll");
            var (code, stdout, stderr) = await DurableGen.TestSupport.TestProcess.RunAsync("dotnet",
                [tool, "template", "--assembly", path], 60, "dotnet is missing");

            Assert.Equal(1, code);
            Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
            Assert.Contains(expected, stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_zip_holds_bootstrap_at_its_root_executable_and_is_the_same_every_time()
    {
        var dir = Directory.CreateTempSubdirectory("durablegen-zip-").FullName;
        try
        {
            var binary = Path.Combine(dir, "bootstrap-binary");
            File.WriteAllBytes(binary, RandomNumberGenerator.GetBytes(100_000));
            var first = LambdaZip.Write(binary, Path.Combine(dir, "a", "x.zip"));
            File.SetLastWriteTimeUtc(binary, DateTime.UtcNow.AddDays(-3)); // the file's own time must not matter
            var second = LambdaZip.Write(binary, Path.Combine(dir, "b", "x.zip"));

            Assert.Equal(first, second);
            Assert.Equal(Convert.ToBase64String(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "a", "x.zip")))), first);
            using var zip = ZipFile.OpenRead(Path.Combine(dir, "a", "x.zip"));
            var entry = Assert.Single(zip.Entries);
            Assert.Equal("bootstrap", entry.FullName);
            Assert.Equal(0x81ED, (entry.ExternalAttributes >> 16) & 0xFFFF); // regular file, rwxr-xr-x
            using var content = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(content);
            }

            Assert.Equal(File.ReadAllBytes(binary), content.ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_missing_cross_toolchain_is_an_error_that_names_the_packages_to_install()
    {
        var other = CrossToolchain.HostArchitecture == "x86_64" ? "arm64" : "x86_64";
        var error = Assert.Throws<InvalidOperationException>(() => CrossToolchain.PublishProperties(other, _ => false));
        Assert.Contains("apt-get install clang gcc-", error.Message, StringComparison.Ordinal);
        Assert.Contains($"--arch {CrossToolchain.HostArchitecture}", error.Message, StringComparison.Ordinal);
        Assert.Empty(CrossToolchain.PublishProperties(CrossToolchain.HostArchitecture, _ => false));
        Assert.Throws<ArgumentException>(() => CrossToolchain.RuntimeIdentifier("mips"));
    }
}
