using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Deployment;

/// <summary>What <see cref="Packager.PackageAsync"/> packages and where it writes.</summary>
public sealed class PackageOptions
{
    /// <summary>The project: a folder holding one .csproj, or the .csproj.</summary>
    public required string Project { get; init; }

    /// <summary>The build configuration (default Release).</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>Architectures to build (default: those the functions declare).</summary>
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>Where template.yaml goes (default: the project folder, zips under its bin/lambda; otherwise the zips go
    /// next to the template).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Reuse what an earlier run published instead of publishing again (zips and template only).</summary>
    public bool SkipPublish { get; init; }

    /// <summary>Where progress goes (default: standard error).</summary>
    public TextWriter? Log { get; init; }
}

/// <summary>What <see cref="Packager.PackageAsync"/> wrote.</summary>
/// <param name="TemplatePath">The CloudFormation template.</param>
/// <param name="Packages">Each architecture's zip.</param>
/// <param name="Manifest">The functions, as the published assembly describes them.</param>
public sealed record PackageResult(string TemplatePath, IReadOnlyDictionary<string, string> Packages, DeploymentManifest Manifest);

/// <summary>
/// From a project to what <c>sam deploy</c> takes: publishes the Native AOT <c>bootstrap</c> once per architecture the
/// functions run on (cross-compiling with Debian's toolchain where needed), zips each with mode 0755 at the archive root,
/// reads the deployment manifest from the published assembly, and writes <c>template.yaml</c> pointing at the zips.
/// </summary>
public static class Packager
{
    /// <summary>The file name of the template.</summary>
    public const string TemplateFileName = "template.yaml";

    /// <summary>The MSBuild property that has the generator follow each function's code for the template's IAM (the
    /// package's targets make it visible to the generator).</summary>
    public const string AnalysisProperty = "DurableGenDeploymentAnalysis";

    // The builds this runs must not package again: a project may set DurableGenPackage for every build.
    private const string NoNestedPackaging = "-p:DurableGenPackage=false";

    /// <summary>Packages the project.</summary>
    /// <exception cref="PackagingException">A build failed or the project cannot be packaged; the message says why.</exception>
    public static async Task<PackageResult> PackageAsync(PackageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var log = options.Log ?? Console.Error;
        var project = ProjectFile(options.Project);
        var projectDir = Path.GetDirectoryName(project)!;
        var outputDir = Path.GetFullPath(options.OutputDirectory ?? projectDir);
        var zipDir = options.OutputDirectory is null ? Path.Combine(projectDir, "bin", "lambda") : outputDir;
        var publishRoot = Path.Combine(projectDir, "obj", "durablegen", "publish");

        // A global PublishAot would reach the project's references (the generator is netstandard2.0), so the project sets it.
        var properties = await PropertiesAsync(project, options.Configuration, null, cancellationToken, "PublishAot", "AssemblyName", "TargetPath");
        if (!string.Equals(properties["PublishAot"], "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new PackagingException(
                $"{Path.GetFileName(project)} does not set <PublishAot>true</PublishAot>: the provided.al2023 runtime runs a Native AOT bootstrap. Add it (with <AssemblyName>bootstrap</AssemblyName> and <InvariantGlobalization>true</InvariantGlobalization>) to the project.");
        }

        // The architectures come from the manifest; a plain build is the quickest way to read it before publishing.
        var architectures = options.Architectures?.ToList();
        if (architectures is null)
        {
            await DotnetAsync(log, cancellationToken, "build", project, "-c", options.Configuration, "-nologo", "-v:q", "-clp:NoSummary",
                NoNestedPackaging);
            architectures = ManifestReader.Read(properties["TargetPath"]).Architectures.ToList();
        }

        DeploymentManifest? manifest = null;
        var binaries = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < architectures.Count; i++)
        {
            var architecture = architectures[i];
            var rid = CrossToolchain.RuntimeIdentifier(architecture);
            var publishDir = Path.Combine(publishRoot, rid);
            if (!options.SkipPublish)
            {
                var cross = CrossToolchain.PublishProperties(architecture);
                log.WriteLine($"publishing the Native AOT bootstrap for {architecture} ({rid}) ...");
                var stopwatch = Stopwatch.StartNew();
                await DotnetAsync(log, cancellationToken, ["publish", project, "-c", options.Configuration, "-r", rid,
                    "-o", publishDir, "-nologo", "-v:q", "-clp:NoSummary", NoNestedPackaging, $"-p:{AnalysisProperty}=true", .. cross]);
                log.WriteLine($"  {architecture} published in {stopwatch.Elapsed.TotalSeconds:0} s");
            }

            var assemblyName = properties["AssemblyName"];
            var binary = Path.Combine(publishDir, assemblyName);
            if (!File.Exists(binary))
            {
                throw new PackagingException(options.SkipPublish
                    ? $"{binary} is missing: package once without skipping the publish."
                    : $"dotnet publish wrote no native {assemblyName} to {publishDir}: is PublishAot supported by the project (an executable for net8.0 or later)?");
            }

            binaries[architecture] = binary;
            var il = (await PropertiesAsync(project, options.Configuration, rid, cancellationToken, "TargetPath"))["TargetPath"];
            var published = ManifestReader.Read(il);
            if (!published.Analyzed)
            {
                throw new PackagingException(
                    $"{Path.GetFileName(project)} was published without the deployment analysis, so the template would grant none of the invokes and callback completions its code makes. " +
                    $"Reference the DurableGen package (its build targets make {AnalysisProperty} visible to the generator), or add <CompilerVisibleProperty Include=\"{AnalysisProperty}\" /> to the project.");
            }

            if (manifest is null)
            {
                manifest = published;
            }
            else if (manifest.Json != published.Json)
            {
                throw new PackagingException(
                    $"The {architecture} build declares other functions than the {architectures[0]} build (conditional compilation per architecture?); one template cannot describe both.");
            }

            if (options.Architectures is null)
            {
                foreach (var needed in published.Architectures.Where(a => !architectures.Contains(a)))
                {
                    architectures.Add(needed); // the published build asks for an architecture the plain build did not
                }
            }
        }

        if (manifest is null)
        {
            throw new PackagingException("No architecture to package.");
        }

        var missing = manifest.Architectures.Where(a => !binaries.ContainsKey(a)).ToList();
        if (missing.Count > 0)
        {
            throw new PackagingException(
                $"The functions run on {string.Join(" and ", missing)}, which --arch left out ({string.Join(", ", manifest.Functions.Where(f => missing.Contains(f.Architecture)).Select(f => f.Name))}).");
        }

        Directory.CreateDirectory(outputDir);
        var templatePath = Path.Combine(outputDir, TemplateFileName);
        var packages = new Dictionary<string, string>(StringComparer.Ordinal);
        var uris = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (architecture, binary) in binaries.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var zip = Path.Combine(zipDir, $"bootstrap-{architecture}.zip");
            hashes[architecture] = LambdaZip.Write(binary, zip);
            packages[architecture] = zip;
            uris[architecture] = Path.GetRelativePath(outputDir, zip).Replace('\\', '/');
            log.WriteLine($"  {Path.GetRelativePath(Environment.CurrentDirectory, zip)}: {new FileInfo(binary).Length / 1024.0 / 1024.0:0.0} MB bootstrap, {new FileInfo(zip).Length / 1024.0 / 1024.0:0.0} MB zipped");
        }

        await File.WriteAllTextAsync(templatePath, CloudFormationTemplate.Write(manifest, new TemplateOptions
        {
            CodeUris = uris,
            CodeSha256 = hashes,
        }), cancellationToken);
        log.WriteLine($"  {Path.GetRelativePath(Environment.CurrentDirectory, templatePath)}: {manifest.Functions.Count} functions");
        return new PackageResult(templatePath, packages, manifest);
    }

    /// <summary>The .csproj of <paramref name="project"/> (a folder with exactly one, or the file itself).</summary>
    public static string ProjectFile(string project)
    {
        var path = Path.GetFullPath(project);
        if (Directory.Exists(path))
        {
            var candidates = Directory.GetFiles(path, "*.csproj");
            return candidates.Length == 1
                ? candidates[0]
                : throw new PackagingException($"{path} holds {candidates.Length} .csproj files; name the one to package.");
        }

        return File.Exists(path) && path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
            ? path
            : throw new PackagingException($"No project at {path}: give a project folder or a .csproj file.");
    }

    /// <summary>MSBuild properties of the project as evaluated for <paramref name="rid"/> (one evaluation for all).</summary>
    private static async Task<IReadOnlyDictionary<string, string>> PropertiesAsync(string project, string configuration, string? rid,
        CancellationToken cancellationToken, params string[] names)
    {
        string[] arguments = ["msbuild", project, "-nologo", .. names.Select(n => $"-getProperty:{n}"), $"-p:Configuration={configuration}",
            .. rid is null ? Array.Empty<string>() : [$"-p:RuntimeIdentifier={rid}"]];
        var (code, output) = await DotnetCli.RunAsync(arguments, cancellationToken);
        if (code != 0)
        {
            throw new PackagingException($"Cannot evaluate {project}: {output.Trim()}");
        }

        // One property prints its value; several print {"Properties": {name: value}}.
        if (names.Length == 1)
        {
            return new Dictionary<string, string> { [names[0]] = output.Trim() };
        }

        using var document = System.Text.Json.JsonDocument.Parse(output);
        return document.RootElement.GetProperty("Properties").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    private static async Task DotnetAsync(TextWriter log, CancellationToken cancellationToken, params string[] arguments)
    {
        var (code, output) = await DotnetCli.RunAsync(arguments, cancellationToken);
        if (code != 0)
        {
            throw new PackagingException($"dotnet {arguments[0]} failed (exit {code}):\n{output.Trim()}");
        }

        foreach (var line in output.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)))
        {
            log.WriteLine("  " + line.Trim());
        }
    }
}

/// <summary>Packaging failed for a reason the message explains (a build error, a missing toolchain, a bad project).</summary>
public sealed class PackagingException(string message) : Exception(message);
