using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DurableGen.LocalService;

namespace DurableGen.Cli;

/// <summary>
/// A project's functions: built with <c>dotnet build</c>, each started as its own process (<c>dotnet
/// &lt;TargetPath&gt;</c>) with <c>_HANDLER</c> = the function name. Functions come from <c>durablegen.json</c> next to
/// the project (<c>functions: [{name, durable, concurrency}]</c>, <c>start: {function, input}</c>), or else from the
/// <c>[DurableWorkflow(FunctionName = "…")]</c> attributes in its sources. <see cref="ProjectBuild"/> picks the
/// configuration and whether to build at all (a project built already, e.g. by a test run, starts at once).
/// </summary>
internal sealed record ProjectFunctions(string ProjectDirectory, string TargetPath, List<(string Name, bool Durable, int? Concurrency)> Functions,
    string? StartFunction, string? StartInput)
{
    private static readonly Regex WorkflowAttribute = new(@"\[DurableWorkflow\s*\([^\]]*FunctionName\s*=\s*""([a-zA-Z0-9_-]+)""",
        RegexOptions.CultureInvariant);

    public static async Task<ProjectFunctions> BuildAsync(string project, bool quiet, ProjectBuild build = default)
    {
        var path = Path.GetFullPath(project);
        string projectFile;
        if (Directory.Exists(path))
        {
            var candidates = Directory.GetFiles(path, "*.csproj");
            projectFile = candidates.Length == 1
                ? candidates[0]
                : throw new CliException($"{path} holds {candidates.Length} .csproj files; name the one to run.");
        }
        else if (File.Exists(path) && path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            projectFile = path;
        }
        else
        {
            throw new CliException($"No project at {path}: give a project folder or a .csproj file.");
        }

        var directory = Path.GetDirectoryName(projectFile)!;
        var configuration = "-p:Configuration=" + (build.Configuration ?? "Debug");
        if (!build.NoBuild)
        {
            if (!quiet)
            {
                Console.Error.WriteLine($"building {Path.GetRelativePath(Environment.CurrentDirectory, projectFile)} ...");
            }

            var (code, output) = await DotnetAsync("build", projectFile, "-nologo", "-v:q", "-clp:NoSummary", configuration);
            if (code != 0)
            {
                throw new CliException($"dotnet build failed (exit {code}):\n{output.Trim()}");
            }
        }

        var (pathCode, targetPath) = await DotnetAsync("msbuild", projectFile, "-nologo", "-getProperty:TargetPath", configuration);
        targetPath = targetPath.Trim();
        if (pathCode != 0 || !File.Exists(targetPath))
        {
            throw new CliException(build.NoBuild
                ? $"{projectFile} is not built ({targetPath} is missing): drop --no-build or build it with -c {build.Configuration ?? "Debug"}."
                : $"Cannot find the built assembly of {projectFile}: {targetPath}");
        }

        var functions = new List<(string Name, bool Durable, int? Concurrency)>();
        string? startFunction = null;
        string? startInput = null;
        var manifest = Path.Combine(directory, "durablegen.json");
        if (File.Exists(manifest))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            var root = document.RootElement;
            if (root.TryGetProperty("functions", out var list))
            {
                foreach (var item in list.EnumerateArray())
                {
                    var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
                    int? concurrency = null;
                    if (item.TryGetProperty("concurrency", out var c))
                    {
                        concurrency = c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var value)
                                      && value is >= 1 and <= LocalDurableService.MaxConcurrency
                            ? value
                            : throw new CliException(
                                $"{manifest}: \"concurrency\" of '{name}' must be a whole number from 1 to {LocalDurableService.MaxConcurrency}, not {c.GetRawText()}.");
                    }

                    functions.Add((name.Length > 0 ? name : throw new CliException($"{manifest}: every function needs a \"name\"."),
                        !item.TryGetProperty("durable", out var durable) || durable.GetBoolean(),
                        concurrency));
                }
            }

            if (root.TryGetProperty("start", out var start))
            {
                startFunction = start.TryGetProperty("function", out var f) ? f.GetString() : null;
                startInput = start.TryGetProperty("input", out var input) ? input.GetRawText() : null;
            }
        }

        if (functions.Count == 0)
        {
            foreach (var source in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                foreach (Match match in WorkflowAttribute.Matches(File.ReadAllText(source)))
                {
                    functions.Add((match.Groups[1].Value, true, null));
                }
            }
        }

        if (functions.Count == 0)
        {
            throw new CliException($"{projectFile} declares no functions: add [DurableWorkflow(FunctionName = \"...\")] or a durablegen.json.");
        }

        return new ProjectFunctions(directory, targetPath, functions, startFunction ?? functions.First(f => f.Durable).Name, startInput);
    }

    /// <summary>Adds each function as a process definition; <paramref name="concurrency"/> (<c>--concurrency</c>)
    /// applies to those whose entry in durablegen.json does not set its own.</summary>
    public void AddTo(LocalServiceOptions options, int? concurrency = null)
    {
        foreach (var (name, durable, own) in Functions)
        {
            var definition = new FunctionDefinition
            {
                Name = name,
                Durable = durable,
                Command = "dotnet",
                WorkingDirectory = ProjectDirectory,
                Handler = name,
                Concurrency = own ?? concurrency ?? 1,
            };
            definition.Arguments.Add(TargetPath);
            options.Functions.Add(definition);
        }
    }

    private static async Task<(int Code, string Output)> DotnetAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>How <see cref="ProjectFunctions.BuildAsync"/> builds a project: <c>-c/--configuration</c> (default Debug)
/// and <c>--no-build</c>.</summary>
internal readonly record struct ProjectBuild(string? Configuration, bool NoBuild)
{
    public static ProjectBuild From(Args args) =>
        new(args.Option("configuration"), args.Flag("no-build"));
}
