using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Templates.Tests;

/// <summary>
/// Every package a user installs, packed once per test run into a local NuGet feed at a version no other run uses (so
/// the NuGet cache never serves a stale build). It packs a snapshot of the working tree in a temporary folder, not the
/// checkout itself: other test assemblies build and run the checkout's projects at the same time.
/// </summary>
public sealed class LocalFeed : IAsyncLifetime
{
    /// <summary>The packages a user can install, and the project each is packed from.</summary>
    public static readonly IReadOnlyDictionary<string, string> Packages = new Dictionary<string, string>
    {
        ["DurableGen"] = "src/DurableGen/DurableGen.csproj",
        ["DurableGen.Testing"] = "src/DurableGen.Testing/DurableGen.Testing.csproj",
        ["DurableGen.OpenTelemetry"] = "src/DurableGen.OpenTelemetry/DurableGen.OpenTelemetry.csproj",
        ["DurableGen.Emulator"] = "src/DurableGen.Emulator/DurableGen.Emulator.csproj",
        ["DurableGen.Cli"] = "src/DurableGen.Cli/DurableGen.Cli.csproj",
        ["DurableGen.Templates"] = "src/DurableGen.Templates/DurableGen.Templates.csproj",
    };

    private string _snapshot = "";

    /// <summary>The version every package was packed at.</summary>
    public string Version { get; } = $"0.0.0-local.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The feed: a folder of .nupkg files.</summary>
    public string Directory { get; private set; } = "";

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackLog { get; private set; } = "";

    /// <summary>The path of the package <paramref name="id"/>.</summary>
    public string Package(string id) => Path.Combine(Directory, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        var root = System.IO.Directory.CreateTempSubdirectory("durablegen-feed-").FullName;
        _snapshot = Path.Combine(root, "src");
        Directory = Path.Combine(root, "feed");
        await SnapshotAsync(RepositoryRoot.Path, _snapshot);

        // One `dotnet pack` over a solution filter: one restore, one build of what the packages need.
        var filter = Path.Combine(_snapshot, "packages.slnf");
        await File.WriteAllTextAsync(filter, System.Text.Json.JsonSerializer.Serialize(new
        {
            solution = new { path = "DurableGen.sln", projects = Packages.Values.ToArray() },
        }));
        var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet",
            ["pack", filter, "-c", "Release", "-o", Directory, $"-p:Version={Version}", "-nodeReuse:false", "-nologo"],
            900, "dotnet is missing: install the .NET SDK global.json names.", _snapshot);
        PackLog = stdout + stderr;
        Assert.True(code == 0, $"dotnet pack failed ({code}):\n{PackLog}");
    }

    public Task DisposeAsync()
    {
        // This run's version of each package, extracted into the NuGet cache by restores and tool installs.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in Packages.Keys)
        {
            TryDelete(Path.Combine(cache, id.ToLowerInvariant(), Version));
        }

        TryDelete(Path.GetDirectoryName(Directory)!);
        return Task.CompletedTask;
    }

    /// <summary>The files git would commit (tracked, and new ones not ignored), copied as they are now.</summary>
    private static async Task SnapshotAsync(string repository, string target)
    {
        var (code, stdout, stderr) = await TestProcess.RunAsync("git",
            ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], 60, "git is missing.", repository);
        Assert.True(code == 0, $"git ls-files failed ({code}): {stderr}");
        foreach (var file in stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(repository, file);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree, not yet in the index
            }

            var destination = Path.Combine(target, file);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
            }
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException e)
        {
            Trace.WriteLine($"Could not delete {path}: {e.Message}");
        }
    }
}

/// <summary>The tests that share one <see cref="LocalFeed"/>.</summary>
[CollectionDefinition(Name)]
public sealed class LocalFeedCollection : ICollectionFixture<LocalFeed>
{
    /// <summary>The collection name.</summary>
    public const string Name = "local feed";
}
