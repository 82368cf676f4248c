using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Deployment;
using DurableGen.LocalService;

namespace DurableGen.Cli.Local;

/// <summary>
/// A project's functions for a local run, from the same template <c>durablegen package</c> deploys, as <c>sam local</c>
/// runs a template: the project is built (JIT, <see cref="ProjectBuild"/>), its deployment manifest becomes
/// <c>obj/durablegen/template.yaml</c>, and each function of that template runs as <c>dotnet &lt;TargetPath&gt;</c> with
/// the template's handler, environment, memory, timeout, <c>DurableConfig</c> and aliases. <c>--template</c> runs a
/// given template instead (its functions still run the project's build). <c>--bootstrap</c> runs every function as a
/// published native executable instead of the build (<see cref="NativeBootstrap"/>): the Native AOT <c>bootstrap</c>
/// that deploys, smoke-tested locally. <c>durablegen.json</c> next to the project says what no template can: which
/// execution <c>run</c> starts, and how many sandboxes a function gets locally.
/// </summary>
internal sealed record ProjectFunctions(string ProjectDirectory, string? TargetPath, string? Bootstrap, string TemplatePath,
    IReadOnlyList<TemplateFunction> Functions, IReadOnlyDictionary<string, int> Concurrency, string? StartFunction,
    string? StartInput)
{
    /// <summary>The local run's settings file next to the project.</summary>
    public const string SettingsFile = "durablegen.json";

    /// <summary>The project file of <paramref name="project"/> (a folder or a .csproj).</summary>
    public static string ProjectFile(string project)
    {
        try
        {
            return Packager.ProjectFile(project);
        }
        catch (PackagingException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>Builds <paramref name="project"/> (unless <see cref="ProjectBuild.NoBuild"/>) and reads its functions.
    /// A <paramref name="bootstrap"/> with a <paramref name="template"/> needs nothing of the build, so nothing is
    /// built.</summary>
    public static async Task<ProjectFunctions> BuildAsync(string project, ProjectBuild build, string? template, string? bootstrap,
        CancellationToken cancellationToken)
    {
        var projectFile = ProjectFile(project);
        var directory = Path.GetDirectoryName(projectFile)!;
        var bootstrapPath = bootstrap is null ? null : NativeBootstrap.Resolve(bootstrap, directory);
        var targetPath = bootstrapPath is not null && template is not null
            ? null
            : await BuildAssemblyAsync(projectFile, build, cancellationToken);

        string templatePath;
        if (template is not null)
        {
            templatePath = Path.GetFullPath(template);
            if (!File.Exists(templatePath))
            {
                throw new CliException($"No template at {templatePath}.");
            }
        }
        else
        {
            DeploymentManifest manifest;
            try
            {
                manifest = ManifestReader.Read(targetPath!);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ex.Message + " Add a [DurableWorkflow] (or [LambdaFunction]) class to the project.");
            }
            catch (Exception ex) when (ex is FormatException or BadImageFormatException or IOException)
            {
                throw new CliException($"Cannot read the functions of {targetPath}: {ex.Message}");
            }

            templatePath = Path.Combine(directory, "obj", "durablegen", Packager.TemplateFileName);
            Directory.CreateDirectory(Path.GetDirectoryName(templatePath)!);
            await File.WriteAllTextAsync(templatePath, CloudFormationTemplate.Write(manifest), cancellationToken);
        }

        IReadOnlyList<TemplateFunction> functions;
        try
        {
            functions = TemplateReader.Read(templatePath);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            throw new CliException(ex.Message);
        }

        if (functions.Count == 0)
        {
            throw new CliException($"{templatePath} declares no Lambda function.");
        }

        var (concurrency, startFunction, startInput) = ReadSettings(Path.Combine(directory, SettingsFile));
        foreach (var name in concurrency.Keys.Where(n => functions.All(f => f.Name != n)))
        {
            throw new CliException($"{SettingsFile}: \"concurrency\" names '{name}', which is not a function of the template ({string.Join(", ", functions.Select(f => f.Name))}).");
        }

        return new ProjectFunctions(directory, targetPath, bootstrapPath, templatePath, functions, concurrency,
            startFunction ?? functions.FirstOrDefault(f => f.IsDurable)?.Name, startInput);
    }

    /// <summary>Builds the project (with the deployment analysis, as <c>durablegen package</c> builds it, so the local
    /// template is the one that deploys) and returns its built assembly.</summary>
    private static async Task<string> BuildAssemblyAsync(string projectFile, ProjectBuild build, CancellationToken cancellationToken)
    {
        var configuration = "-p:Configuration=" + (build.Configuration ?? "Debug");
        if (!build.NoBuild)
        {
            var (code, output) = await DotnetCli.RunAsync(["build", projectFile, "-nologo", "-v:q", "-clp:NoSummary", configuration,
                $"-p:{Packager.AnalysisProperty}=true"], cancellationToken);
            if (code != 0)
            {
                throw new CliException($"dotnet build failed (exit {code}):\n{output.Trim()}");
            }
        }

        var (pathCode, targetPath) = await DotnetCli.RunAsync(["msbuild", projectFile, "-nologo", "-getProperty:TargetPath", configuration,
            $"-p:{Packager.AnalysisProperty}=true"], cancellationToken);
        targetPath = targetPath.Trim();
        if (pathCode != 0 || !File.Exists(targetPath))
        {
            throw new CliException(build.NoBuild
                ? $"{projectFile} is not built ({targetPath} is missing): drop --no-build or build it with -c {build.Configuration ?? "Debug"}."
                : $"Cannot find the built assembly of {projectFile}: {targetPath}");
        }

        return targetPath;
    }

    /// <summary>Adds each function as a process definition; <paramref name="concurrency"/> (<c>--concurrency</c>)
    /// applies to those durablegen.json does not give their own.</summary>
    public void AddTo(LocalServiceOptions options, int? concurrency = null)
    {
        foreach (var function in Functions)
        {
            // A native bootstrap runs where Lambda runs it: in its own folder (LAMBDA_TASK_ROOT).
            var definition = new FunctionDefinition
            {
                Name = function.Name,
                Durable = function.IsDurable,
                Command = Bootstrap ?? "dotnet",
                WorkingDirectory = Bootstrap is null ? ProjectDirectory : Path.GetDirectoryName(Bootstrap),
                Handler = function.Handler ?? function.Name,
                Concurrency = Concurrency.TryGetValue(function.Name, out var own) ? own : concurrency ?? 1,
                Timeout = TimeSpan.FromSeconds(function.Timeout),
                MemorySize = function.MemorySize,
                ExecutionTimeoutSeconds = function.ExecutionTimeout,
            };
            if (Bootstrap is null)
            {
                definition.Arguments.Add(TargetPath!);
            }

            definition.Aliases.AddRange(function.Aliases);
            foreach (var (name, value) in function.Environment)
            {
                definition.Environment[name] = value;
            }

            options.Functions.Add(definition);
        }
    }

    private static (Dictionary<string, int> Concurrency, string? StartFunction, string? StartInput) ReadSettings(string path)
    {
        var concurrency = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return (concurrency, null, null);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        if (root.TryGetProperty("functions", out _))
        {
            throw new CliException(
                $"{path}: \"functions\" is gone: functions are declared in code ([DurableWorkflow], [LambdaFunction]) and read from the template. Keep \"start\" and, for local sandboxes, \"concurrency\": {{\"name\": N}}.");
        }

        if (root.TryGetProperty("concurrency", out var map))
        {
            foreach (var entry in map.EnumerateObject())
            {
                concurrency[entry.Name] = entry.Value.ValueKind == JsonValueKind.Number && entry.Value.TryGetInt32(out var value)
                                          && value is >= 1 and <= LocalDurableService.MaxConcurrency
                    ? value
                    : throw new CliException(
                        $"{path}: \"concurrency\" of '{entry.Name}' must be a whole number from 1 to {LocalDurableService.MaxConcurrency}, not {entry.Value.GetRawText()}.");
            }
        }

        string? function = null, input = null;
        if (root.TryGetProperty("start", out var start))
        {
            function = start.TryGetProperty("function", out var f) ? f.GetString() : null;
            input = start.TryGetProperty("input", out var i) ? i.GetRawText() : null;
        }

        return (concurrency, function, input);
    }
}
