using System;
using System.Collections.Generic;
using System.IO;
using DurableGen.Cli.CommandLine;
using DurableGen.Deployment;

namespace DurableGen.Cli.Local;

/// <summary>
/// How a local run starts a function's process: the command, its arguments and its working directory (which is also
/// <c>LAMBDA_TASK_ROOT</c>). It comes from <c>durablegen.json</c> when that declares a <c>command</c>, else from the
/// template's <c>Runtime</c> as Lambda reads it: <c>nodejs*</c> is <c>node</c> running the Node.js runtime interface
/// client found from the code folder (<c>CodeUri</c>), as Lambda's Node.js runtime runs it; <c>provided*</c> is the
/// <c>bootstrap</c> executable of the code folder or zip; the project's own functions (and <c>dotnet*</c>) are the
/// project's build, <c>dotnet &lt;TargetPath&gt;</c>, or the native <c>--bootstrap</c>.
/// </summary>
internal sealed record FunctionLaunch(string Command, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>The npm package of AWS's Node.js runtime interface client, the program Lambda's Node.js runtime runs.</summary>
    public const string NodeRuntimeClient = "aws-lambda-ric";

    /// <summary>The launch of a template function that <c>durablegen.json</c> gives no command.</summary>
    /// <param name="function">The template's function.</param>
    /// <param name="templateDirectory">The template's folder: code paths are relative to it.</param>
    /// <param name="isProjects">Whether the project's code declares the function (it runs the project's build).</param>
    /// <param name="project">The project's folder.</param>
    /// <param name="targetPath">The project's built assembly, when it was built.</param>
    /// <param name="bootstrap">The native bootstrap of <c>--bootstrap</c>, if given.</param>
    public static FunctionLaunch ForTemplate(TemplateFunction function, string templateDirectory, bool isProjects, string project,
        string? targetPath, string? bootstrap)
    {
        var runtime = function.Runtime ?? "";
        if (runtime.StartsWith("nodejs", StringComparison.Ordinal))
        {
            var code = CodeFolder(function, templateDirectory);
            var client = FindNodeRuntimeClient(code) ?? throw new CliException(
                $"{function.Name} ({runtime}): no {NodeRuntimeClient} in node_modules of {code} or a folder above it. A local run starts " +
                $"Node.js functions as Lambda's Node.js runtime does, with AWS's runtime interface client: `npm install {NodeRuntimeClient}` " +
                $"in the function's code folder, or give {function.Name} a \"command\" in {ProjectFunctions.SettingsFile}.");
            return new FunctionLaunch("node", [client], code);
        }

        if (isProjects || runtime.Length == 0 || runtime.StartsWith("dotnet", StringComparison.Ordinal))
        {
            if (bootstrap is not null)
            {
                // A native bootstrap runs where Lambda runs it: in its own folder (LAMBDA_TASK_ROOT).
                return new FunctionLaunch(bootstrap, [], Path.GetDirectoryName(bootstrap)!);
            }

            return targetPath is not null
                ? new FunctionLaunch("dotnet", [targetPath], project)
                : throw new CliException($"{function.Name} runs the project's build, which --bootstrap with --template skips: drop --template or --bootstrap.");
        }

        if (runtime.StartsWith("provided", StringComparison.Ordinal) && function.CodeUri is { Length: > 0 } uri)
        {
            var executable = NativeBootstrap.Resolve(Path.Combine(templateDirectory, uri), project);
            return new FunctionLaunch(executable, [], Path.GetDirectoryName(executable)!);
        }

        throw new CliException(
            $"{function.Name} ({(runtime.Length == 0 ? "no Runtime" : runtime)}{(function.CodeUri is null ? ", no local CodeUri" : "")}): a local run starts " +
            $"nodejs* functions with {NodeRuntimeClient}, provided* functions as the bootstrap of their CodeUri, and the project's own functions; " +
            $"give {function.Name} a \"command\" in {ProjectFunctions.SettingsFile}.");
    }

    /// <summary>The function's code folder: its <c>CodeUri</c> folder relative to the template (the template's folder
    /// when it has none).</summary>
    private static string CodeFolder(TemplateFunction function, string templateDirectory)
    {
        var code = Path.GetFullPath(Path.Combine(templateDirectory, function.CodeUri ?? "."));
        return Directory.Exists(code)
            ? code
            : throw new CliException($"{function.Name}: its CodeUri {code} is not a folder (a local run runs Node.js code from its folder, not a zip).");
    }

    /// <summary>Node's own lookup: <c>node_modules/aws-lambda-ric</c> in the folder or the nearest folder above.</summary>
    private static string? FindNodeRuntimeClient(string folder)
    {
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            var entry = Path.Combine(directory.FullName, "node_modules", NodeRuntimeClient, "index.mjs");
            if (File.Exists(entry))
            {
                return entry;
            }
        }

        return null;
    }
}
