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
/// <c>obj/durablegen/template.yaml</c>, and each function of that template runs with the template's handler,
/// environment, memory, timeout, <c>DurableConfig</c> and aliases, started as <see cref="FunctionLaunch"/> says: the
/// project's own functions as <c>dotnet &lt;TargetPath&gt;</c>, others by their runtime (Node.js, a custom runtime's
/// bootstrap). <c>--template</c> runs a given template instead. <c>--bootstrap</c> runs the project's functions as a
/// published native executable instead of the build (<see cref="NativeBootstrap"/>): the Native AOT <c>bootstrap</c>
/// that deploys, smoke-tested locally. <c>durablegen.json</c> next to the project (<see cref="LocalSettings"/>) says
/// what no template can: which execution <c>run</c> starts, how many sandboxes a function gets locally, and functions
/// run by a command of their own, in any language.
/// </summary>
internal sealed record ProjectFunctions(string ProjectDirectory, string? TargetPath, string? Bootstrap, string TemplatePath,
    IReadOnlyList<TemplateFunction> Functions, IReadOnlyDictionary<string, FunctionLaunch> Launches,
    IReadOnlyDictionary<string, int> Concurrency, string? StartFunction, string? StartInput)
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

        IReadOnlyList<TemplateFunction> templateFunctions;
        try
        {
            templateFunctions = TemplateReader.Read(templatePath);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            throw new CliException(ex.Message);
        }

        var settings = LocalSettings.Read(Path.Combine(directory, SettingsFile));
        if (templateFunctions.Count == 0 && settings.Functions.Count == 0)
        {
            throw new CliException($"{templatePath} declares no Lambda function, and {SettingsFile} declares none either.");
        }

        // The project's own functions run its build (or --bootstrap): every function of the template its code makes;
        // of a given template, those its code declares (all of them when only --bootstrap runs, with nothing built).
        var projects = template is not null && targetPath is not null
            ? ProjectFunctionNames(targetPath)
            : templateFunctions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

        var declared = settings.Functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var templateDirectory = Path.GetDirectoryName(templatePath)!;
        var launches = new Dictionary<string, FunctionLaunch>(StringComparer.Ordinal);
        var functions = new List<TemplateFunction>();
        foreach (var function in templateFunctions)
        {
            launches[function.Name] = declared.TryGetValue(function.Name, out var own)
                ? own.Launch
                : FunctionLaunch.ForTemplate(function, templateDirectory, projects.Contains(function.Name), directory, targetPath, bootstrapPath);
            functions.Add(own is null ? function : Override(function, own));
        }

        foreach (var own in settings.Functions.Where(f => !launches.ContainsKey(f.Name)))
        {
            launches[own.Name] = own.Launch;
            functions.Add(new TemplateFunction
            {
                LogicalId = own.Name,
                Name = own.Name,
                Handler = own.Handler,
                IsDurable = own.Durable ?? false,
                Timeout = own.Timeout ?? 3,
                MemorySize = own.MemorySize ?? 128,
                Environment = own.Environment,
            });
        }

        var names = functions.Select(f => f.Name).ToList();
        foreach (var name in settings.Concurrency.Keys.Where(n => !names.Contains(n)))
        {
            throw new CliException($"{SettingsFile}: \"concurrency\" names '{name}', which is not a function of the template ({string.Join(", ", names)}).");
        }

        return new ProjectFunctions(directory, targetPath, bootstrapPath, templatePath, functions, launches, settings.Concurrency,
            settings.StartFunction ?? functions.FirstOrDefault(f => f.IsDurable)?.Name, settings.StartInput);
    }

    /// <summary>A template function as <c>durablegen.json</c> runs it: its command, and what the declaration sets over
    /// the template (handler, durable, timeout, memory; environment variables merge, the declaration's winning).</summary>
    private static TemplateFunction Override(TemplateFunction function, DeclaredFunction own)
    {
        var environment = new Dictionary<string, string>(function.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in own.Environment)
        {
            environment[name] = value;
        }

        return new TemplateFunction
        {
            LogicalId = function.LogicalId,
            Name = function.Name,
            Runtime = function.Runtime,
            Handler = own.Handler ?? function.Handler,
            CodeUri = function.CodeUri,
            IsDurable = own.Durable ?? function.IsDurable,
            ExecutionTimeout = function.ExecutionTimeout,
            RetentionPeriodInDays = function.RetentionPeriodInDays,
            Timeout = own.Timeout ?? function.Timeout,
            MemorySize = own.MemorySize ?? function.MemorySize,
            Architecture = function.Architecture,
            Environment = environment,
            Aliases = function.Aliases,
        };
    }

    /// <summary>The functions the project's code declares (none when the build has no deployment manifest).</summary>
    private static HashSet<string> ProjectFunctionNames(string targetPath)
    {
        try
        {
            return ManifestReader.Read(targetPath).Functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or BadImageFormatException or IOException)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
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
            var launch = Launches[function.Name];
            var definition = new FunctionDefinition
            {
                Name = function.Name,
                Durable = function.IsDurable,
                Command = launch.Command,
                WorkingDirectory = launch.WorkingDirectory,
                Handler = function.Handler ?? function.Name,
                Concurrency = Concurrency.TryGetValue(function.Name, out var own) ? own : concurrency ?? 1,
                Timeout = TimeSpan.FromSeconds(function.Timeout),
                MemorySize = function.MemorySize,
                ExecutionTimeoutSeconds = function.ExecutionTimeout,
            };
            definition.Arguments.AddRange(launch.Arguments);
            definition.Aliases.AddRange(function.Aliases);
            foreach (var (name, value) in function.Environment)
            {
                definition.Environment[name] = value;
            }

            options.Functions.Add(definition);
        }
    }
}
