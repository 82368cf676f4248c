using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DurableGen.Cli.CommandLine;
using DurableGen.LocalService;

namespace DurableGen.Cli.Local;

/// <summary>
/// <c>durablegen.json</c> next to the project: what no template says about a local run. <c>start</c> (the execution
/// <c>run</c> starts), <c>concurrency</c> (sandboxes per function) and <c>functions</c>: functions run by a command of
/// their own, in any language, either template functions started another way or functions the template does not
/// have. The schema is in docs/guides/cli.md.
/// </summary>
internal sealed record LocalSettings(IReadOnlyDictionary<string, int> Concurrency, string? StartFunction, string? StartInput,
    IReadOnlyList<DeclaredFunction> Functions)
{
    /// <summary>The settings of <paramref name="path"/> (none when the file is missing).</summary>
    public static LocalSettings Read(string path)
    {
        var concurrency = new Dictionary<string, int>(StringComparer.Ordinal);
        var functions = new List<DeclaredFunction>();
        if (!File.Exists(path))
        {
            return new LocalSettings(concurrency, null, null, functions);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new CliException($"{path} is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"{path}: expected a JSON object.");
            }

            if (root.TryGetProperty("concurrency", out var map))
            {
                foreach (var entry in Object(map, path, "concurrency").EnumerateObject())
                {
                    concurrency[entry.Name] = ReadConcurrency(entry.Value, path, $"\"concurrency\" of '{entry.Name}'");
                }
            }

            if (root.TryGetProperty("functions", out var declared))
            {
                if (declared.ValueKind == JsonValueKind.Array)
                {
                    throw new CliException(
                        $"{path}: \"functions\" is an object of name → {{\"command\": …}} now. Functions of the project's code are declared in code " +
                        "([DurableWorkflow], [LambdaFunction]) and read from the template; list here only functions run by a command of their own.");
                }

                var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
                foreach (var entry in Object(declared, path, "functions").EnumerateObject())
                {
                    functions.Add(DeclaredFunction.Read(entry.Name, Object(entry.Value, path, $"functions.{entry.Name}"), directory, path));
                    if (entry.Value.TryGetProperty("concurrency", out var own))
                    {
                        concurrency[entry.Name] = ReadConcurrency(own, path, $"functions.{entry.Name}.concurrency");
                    }
                }
            }

            string? function = null, input = null;
            if (root.TryGetProperty("start", out var start))
            {
                function = start.TryGetProperty("function", out var f) ? f.GetString() : null;
                input = start.TryGetProperty("input", out var i) ? i.GetRawText() : null;
            }

            return new LocalSettings(concurrency, function, input, functions);
        }
    }

    private static JsonElement Object(JsonElement element, string path, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new CliException($"{path}: \"{what}\" must be a JSON object.");

    private static int ReadConcurrency(JsonElement value, string path, string what) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count is >= 1 and <= LocalDurableService.MaxConcurrency
            ? count
            : throw new CliException($"{path}: {what} must be a whole number from 1 to {LocalDurableService.MaxConcurrency}, not {value.GetRawText()}.");
}
