using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DurableGen.Cli.CommandLine;

namespace DurableGen.Cli.Local;

/// <summary>A function <c>durablegen.json</c> runs with a command of its own (any language: a runtime interface client,
/// a native binary, a script).</summary>
internal sealed record DeclaredFunction(string Name, string Command, IReadOnlyList<string> Arguments, string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment, string? Handler, bool? Durable, int? Timeout, int? MemorySize)
{
    /// <summary>The launch this declaration gives.</summary>
    public FunctionLaunch Launch => new(Command, Arguments, WorkingDirectory);

    /// <summary>Reads <c>functions.&lt;name&gt;</c>; relative paths are relative to <paramref name="directory"/>, the
    /// settings file's folder.</summary>
    public static DeclaredFunction Read(string name, JsonElement entry, string directory, string path)
    {
        string? Text(string property) => entry.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new CliException($"{path}: functions.{name}.{property} must be a string.")
            : null;

        int? Number(string property) => entry.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
                ? number
                : throw new CliException($"{path}: functions.{name}.{property} must be a positive whole number.")
            : null;

        var command = Text("command") is { Length: > 0 } c
            ? c
            : throw new CliException($"{path}: functions.{name} needs a \"command\" (the program that runs the function, e.g. \"node\").");
        // A command with a path is relative to the settings file; a bare name is looked up on PATH, as a shell does.
        if (command.Contains('/', StringComparison.Ordinal) || command.Contains('\\', StringComparison.Ordinal))
        {
            command = Path.GetFullPath(Path.Combine(directory, command));
        }

        var arguments = new List<string>();
        if (entry.TryGetProperty("args", out var args))
        {
            arguments.AddRange(args.ValueKind == JsonValueKind.Array && args.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String)
                ? args.EnumerateArray().Select(a => a.GetString()!)
                : throw new CliException($"{path}: functions.{name}.args must be an array of strings."));
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entry.TryGetProperty("environment", out var variables))
        {
            foreach (var variable in (variables.ValueKind == JsonValueKind.Object
                         ? variables
                         : throw new CliException($"{path}: functions.{name}.environment must be an object of strings.")).EnumerateObject())
            {
                environment[variable.Name] = variable.Value.ValueKind == JsonValueKind.String
                    ? variable.Value.GetString()!
                    : throw new CliException($"{path}: functions.{name}.environment.{variable.Name} must be a string.");
            }
        }

        bool? durable = entry.TryGetProperty("durable", out var d)
            ? d.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? d.GetBoolean()
                : throw new CliException($"{path}: functions.{name}.durable must be true or false.")
            : null;
        var workingDirectory = Path.GetFullPath(Path.Combine(directory, Text("workingDirectory") ?? "."));
        if (!Directory.Exists(workingDirectory))
        {
            throw new CliException($"{path}: functions.{name}.workingDirectory {workingDirectory} is not a folder.");
        }

        return new DeclaredFunction(name, command, arguments, workingDirectory, environment, Text("handler"), durable,
            Number("timeout"), Number("memorySize"));
    }
}
