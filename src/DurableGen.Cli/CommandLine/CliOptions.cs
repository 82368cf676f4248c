using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;
using System.Linq;
using System.Text.Json;
using DurableGen.Emulator.Store;
using DurableGen.LocalService;

namespace DurableGen.Cli.CommandLine;

/// <summary>The options several commands share, each with its help text and its checks, so a bad value is an error
/// before anything is built, started or sent.</summary>
internal static class CliOptions
{
    /// <summary>The endpoint the client commands use without <c>--endpoint</c> and <c>DURABLEGEN_ENDPOINT</c>.</summary>
    public const string DefaultEndpoint = "http://127.0.0.1:5055";

    public static Option<bool> Json(string what) =>
        new("--json") { Description = $"Write {what} as JSON for scripts instead of text for people." };

    /// <summary>A JSON document given inline or as <c>@file</c>: anything that does not parse is an error.</summary>
    public static Option<string?> JsonText(string name, string description, string? example = null) =>
        new(name)
        {
            Description = description + " JSON, inline or @file.",
            HelpName = "json",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (text.StartsWith('@'))
                {
                    var file = text[1..];
                    if (!File.Exists(file))
                    {
                        result.AddError($"{name} {text}: there is no file {Path.GetFullPath(file)}.");
                        return null;
                    }

                    text = File.ReadAllText(file);
                }

                try
                {
                    using var _ = JsonDocument.Parse(text);
                }
                catch (JsonException ex)
                {
                    var shown = text.Length <= 40 ? text : text[..37] + "...";
                    result.AddError($"{name} must be JSON, not '{shown}' ({ex.Message})." +
                                    (example is null ? "" : $" A string is quoted: {name} '\"{example}\"'."));
                    return null;
                }

                return text;
            },
        };

    public static Option<int> Port(int fallback, string description) =>
        new("--port")
        {
            Description = description,
            HelpName = "port",
            DefaultValueFactory = _ => fallback,
            CustomParser = result => Integer(result, "--port", 0, 65535) ?? fallback,
        };

    public static Option<string?> Database(string description) => new("--db") { Description = description, HelpName = "file" };

    /// <summary><c>--fsync</c>: the database's commits survive a power cut, not only a crash of the service.</summary>
    public static Option<bool> Fsync() => new("--fsync")
    {
        Description = "Sync each commit to the disk before acknowledging it, so it survives a power cut too (without: it " +
                      "survives a crash or kill of the service; slower).",
    };

    /// <summary>The durability <see cref="Fsync"/> asks for.</summary>
    public static CommitDurability Durability(bool fsync) =>
        fsync ? CommitDurability.PowerLoss : CommitDurability.ProcessCrash;

    /// <summary><c>--endpoint</c>: where the client commands send (an http(s) URL).</summary>
    public static Option<string?> Endpoint()
    {
        var option = new Option<string?>("--endpoint")
        {
            Description = $"The durable execution service (default: $DURABLEGEN_ENDPOINT, else {DefaultEndpoint}).",
            HelpName = "url",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && ParseEndpoint(value) is null)
            {
                result.AddError($"--endpoint must be an http(s) URL, not '{value}'.");
            }
        });
        return option;
    }

    /// <summary>The service URL, ending in <c>/</c>, or null when <paramref name="value"/> is not an http(s) URL.</summary>
    public static Uri? ParseEndpoint(string value) =>
        Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    public static Argument<string> Project(string description) =>
        new("project") { Description = description + " (a folder or a .csproj)." };

    /// <summary>The whole number the option was given, from <paramref name="min"/> to <paramref name="max"/>; anything
    /// else is a parse error (null).</summary>
    public static int? Integer(ArgumentResult result, string name, int min, int max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} must be a whole number, not '{text}'.");
            return null;
        }

        if (value < min || value > max)
        {
            result.AddError(max == int.MaxValue ? $"{name} must be {min} or more, not {value}." : $"{name} must be {min}-{max}, not {value}.");
            return null;
        }

        return value;
    }

    /// <summary><c>--concurrency N</c>: sandboxes per function (1-64).</summary>
    public static Option<int?> Concurrency() =>
        new("--concurrency")
        {
            Description = "Sandboxes (processes) per function, so executions do not wait for each other's invocations " +
                          "(default 1; \"concurrency\": {\"name\": N} in durablegen.json sets one function's).",
            HelpName = "n",
            CustomParser = result => Integer(result, "--concurrency", 1, LocalDurableService.MaxConcurrency),
        };
}
