using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DurableGen.Deployment;

namespace DurableGen.Benchmarks;

/// <summary>
/// Publishes a project as the Lambda <c>bootstrap</c> the way <c>durablegen package</c> does (<c>dotnet publish -c
/// Release -r linux-x64|linux-arm64</c>, the project's own AOT properties, the cross toolchain for another architecture)
/// and fails on any IL warning, since a binary built with trimming or AOT warnings may not be the binary that runs on
/// Lambda.
/// </summary>
internal static class AotPublisher
{
    /// <summary>Publishes <paramref name="project"/> (relative to <paramref name="root"/>) into <paramref name="output"/>.</summary>
    /// <returns>The path of the published <c>bootstrap</c>.</returns>
    public static async Task<string> PublishAsync(string root, string project, string output, string architecture)
    {
        if (Directory.Exists(output))
        {
            // A stale binary from an earlier run must not be measured if this publish fails half-way.
            Directory.Delete(output, recursive: true);
        }

        string[] arguments = ["publish", Path.Combine(root, project), "-c", "Release", "-r", CrossToolchain.RuntimeIdentifier(architecture),
            "-o", Path.GetFullPath(output), "-nodeReuse:false", .. CrossToolchain.PublishProperties(architecture)];
        Console.WriteLine($"dotnet {string.Join(' ', arguments)}");
        var watch = Stopwatch.StartNew();
        var (code, log) = await DotnetCli.RunAsync(arguments).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet publish {project} failed ({code}):\n{log}");
        }

        if (Regex.IsMatch(log, @"warning IL\d+"))
        {
            throw new InvalidOperationException($"dotnet publish {project} reported IL (trimming/AOT) warnings:\n{log}");
        }

        var bootstrap = Path.Combine(output, "bootstrap");
        if (!File.Exists(bootstrap))
        {
            throw new InvalidOperationException($"dotnet publish {project} wrote no bootstrap into {output}:\n{log}");
        }

        Console.WriteLine($"  published in {watch.Elapsed.TotalSeconds:0.0} s: {bootstrap}");
        return bootstrap;
    }
}
