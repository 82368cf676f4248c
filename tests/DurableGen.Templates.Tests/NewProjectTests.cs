using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Templates.Tests;

/// <summary>
/// <c>dotnet new durablegen</c> as a user meets it: templates installed from the feed, a project and its test project
/// made in a folder outside the repository, its tests run, the workflow run on the local durable execution service by
/// the <c>durablegen</c> tool the project pins, and the function packaged for Lambda (Native AOT), each unchanged.
/// One test: each step needs the one before it, and together they take a few minutes on 2 cores.
/// </summary>
[Collection(LocalFeedCollection.Name)]
public sealed partial class NewProjectTests(LocalFeed feed) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("durablegen-newproject-").FullName;

    private string Hive => Path.Combine(_work, "template-hive");

    private string ProjectRoot => Path.Combine(_work, "Shop");

    [Fact]
    public async Task A_new_project_builds_tests_runs_locally_and_packages_for_Lambda_from_the_public_packages_alone()
    {
        await WriteNuGetConfigAsync();
        var install = await Dotnet(_work, 300, "new", "install", $"DurableGen.Templates::{feed.Version}", "--add-source",
            feed.Directory, "--debug:custom-hive", Hive);
        Assert.Contains("durablegen", install, StringComparison.Ordinal);

        await Dotnet(_work, 120, "new", "durablegen", "-n", "Shop", "-o", ProjectRoot, "--debug:custom-hive", Hive);
        Assert.True(File.Exists(Path.Combine(ProjectRoot, "src", "Shop", "Shop.csproj")));
        Assert.True(File.Exists(Path.Combine(ProjectRoot, "tests", "Shop.Tests", "Shop.Tests.csproj")));
        var csproj = await File.ReadAllTextAsync(Path.Combine(ProjectRoot, "src", "Shop", "Shop.csproj"));
        Assert.Contains($"Include=\"DurableGen\" Version=\"{feed.Version}\"", csproj, StringComparison.Ordinal);

        // Builds with no warning at all: the generator's Main is the only entry point, every type is in the context.
        var build = await Dotnet(ProjectRoot, 600, "build", "-c", "Release", "-nodeReuse:false");
        Assert.Contains(" 0 Warning(s)", build, StringComparison.Ordinal);

        var test = await Dotnet(ProjectRoot, 600, "test", "-c", "Release", "--no-build", "-nodeReuse:false");
        Assert.Contains("Passed!", test, StringComparison.Ordinal);
        Assert.Contains("Failed:     0", test, StringComparison.Ordinal);
        Assert.Contains("Passed:     3", test, StringComparison.Ordinal);

        // The durablegen tool at the version the template pins (.config/dotnet-tools.json).
        await Dotnet(ProjectRoot, 300, "tool", "restore");
        var run = await Dotnet(ProjectRoot, 300, "durablegen", "run", "src/Shop", "--json");
        using (var document = JsonDocument.Parse(run))
        {
            var execution = document.RootElement.GetProperty("Execution");
            Assert.Equal("SUCCEEDED", execution.GetProperty("Status").GetString());
            using var result = JsonDocument.Parse(execution.GetProperty("Result").GetString()!);
            Assert.Equal("CONFIRMED", result.RootElement.GetProperty("Status").GetString());
            Assert.Equal(75m, result.RootElement.GetProperty("Total").GetDecimal());
        }

        // Native AOT for the template's architecture, zipped, with the template sam deploys.
        var output = Path.Combine(_work, "package");
        var package = await Dotnet(ProjectRoot, 900, "durablegen", "package", "src/Shop", "--output", output);
        Assert.DoesNotContain("warning IL", package, StringComparison.Ordinal);
        using (var zip = ZipFile.OpenRead(Path.Combine(output, "bootstrap-x86_64.zip")))
        {
            Assert.Equal(["bootstrap"], zip.Entries.Select(e => e.FullName).ToArray());
        }

        var (errors, _) = await TemplateValidator.ValidateAsync(Path.Combine(output, "template.yaml"));
        Assert.Empty(errors);

        // The published native bootstrap as the function, and a callback answered by hand with the command run prints.
        await RunWithCallbackAnsweredByHandAsync(Path.Combine(output, "bootstrap-x86_64.zip"));
    }

    /// <summary>
    /// <c>durablegen run --bootstrap</c> with an order large enough to need approval: run prints the command that answers
    /// the callback and waits; the command, run as printed (with a result), completes the execution.
    /// </summary>
    private async Task RunWithCallbackAnsweredByHandAsync(string zip)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ProjectRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "durablegen", "run", "src/Shop", "--bootstrap", zip, "--json", "--timeout", "240",
                     "--input", """{"OrderId":"o-2","Customer":"ada","Quantity":10,"UnitPrice":250}""",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        using var run = Process.Start(start)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        var answer = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        run.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(line.Data);
            }

            if (AnswerCommand().Match(line.Data) is { Success: true } match)
            {
                answer.TrySetResult(match);
            }
        };
        run.BeginErrorReadLine();
        try
        {
            var printed = await answer.Task.WaitAsync(TimeSpan.FromSeconds(180));
            var callbackId = printed.Groups["id"].Value.Trim('\'');
            await Dotnet(ProjectRoot, 120, "durablegen", "callback", "succeed", callbackId, "--result",
                """{"Approved":true,"Approver":"kim"}""", "--endpoint", printed.Groups["endpoint"].Value);

            await run.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(run.ExitCode == 0, $"durablegen run exited {run.ExitCode}:\n{stderr}");
            using var document = JsonDocument.Parse(await stdout);
            var execution = document.RootElement.GetProperty("Execution");
            Assert.Equal("SUCCEEDED", execution.GetProperty("Status").GetString());
            using var result = JsonDocument.Parse(execution.GetProperty("Result").GetString()!);
            Assert.Equal("kim", result.RootElement.GetProperty("Approver").GetString());
            Assert.Equal(2500m, result.RootElement.GetProperty("Total").GetDecimal());
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"durablegen run did not print or finish in time:\n{stderr}");
        }
        finally
        {
            if (!run.HasExited)
            {
                run.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"durablegen callback succeed (?<id>\S+) --result '<json>' --endpoint (?<endpoint>\S+)")]
    private static partial Regex AnswerCommand();

    [Fact]
    public async Task A_console_project_given_the_package_and_a_workflow_fails_its_build_with_DG1018()
    {
        // What a user tries without the template: dotnet new console's Program.cs would win over the generated Main and
        // the function would never serve a request.
        await WriteNuGetConfigAsync();
        var project = Path.Combine(_work, "Console1");
        await Dotnet(_work, 120, "new", "console", "-n", "Console1", "-o", project);
        await Dotnet(project, 300, "add", "package", "DurableGen", "--version", feed.Version);
        await File.WriteAllTextAsync(Path.Combine(project, "Greeter.cs"), """
            using System.Text.Json.Serialization;
            using DurableGen;

            [DurableWorkflow]
            public sealed partial class Greeter
            {
                public async Task<string> RunAsync(string name, IDurableContext context) =>
                    await context.StepAsync((step, _) => Task.FromResult("hello " + name), "greet");
            }

            [JsonSerializable(typeof(string))]
            public sealed partial class GreeterJson : JsonSerializerContext;
            """);

        var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet", ["build", "-nodeReuse:false"], 600, "dotnet is missing.", project);
        Assert.NotEqual(0, code);
        Assert.Matches(@"Program\.cs\(\d+,\d+\): error DG1018", stdout);
        Assert.DoesNotContain("error CS", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tracing_guides_Program_runs_a_workflow_as_one_trace_across_its_invocations()
    {
        // The guide's Program.cs as a user copies it, with the console exporter instead of OTLP (nothing listens here).
        var guide = await File.ReadAllTextAsync(RepositoryRoot.Combine("docs", "guides", "opentelemetry.md"));
        var snippet = Regex.Match(guide, @"## The five lines.*?```csharp\n(?<code>.*?)```", RegexOptions.Singleline).Groups["code"].Value;
        var lines = snippet.Split('\n').ToList();
        Assert.Equal(1, lines.RemoveAll(l => l.Contains(".AddHttpClientInstrumentation()", StringComparison.Ordinal)));
        var otlp = lines.FindIndex(l => l.Contains(".AddOtlpExporter(", StringComparison.Ordinal));
        Assert.True(otlp > 0, "the guide's snippet exports with OTLP");
        lines[otlp] = "    .AddConsoleExporter()";

        await WriteNuGetConfigAsync();
        var project = Path.Combine(_work, "Traced");
        await Dotnet(_work, 120, "new", "console", "-n", "Traced", "-o", project);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), string.Join('\n', lines));
        await File.WriteAllTextAsync(Path.Combine(project, "Greeter.cs"), """
            using System.Text.Json.Serialization;
            using DurableGen;

            [DurableWorkflow]
            public sealed partial class Greeter
            {
                public async Task<string> RunAsync(string name, IDurableContext context)
                {
                    var greeting = await context.StepAsync((step, _) => Task.FromResult("hello " + name), "greet");
                    await context.WaitAsync(TimeSpan.FromSeconds(1), "pause");
                    return await context.StepAsync((step, _) => Task.FromResult(greeting + "!"), "shout");
                }
            }

            [JsonSerializable(typeof(string))]
            public sealed partial class GreeterJson : JsonSerializerContext;
            """);
        await Dotnet(project, 300, "add", "package", "DurableGen", "--version", feed.Version);
        await Dotnet(project, 300, "add", "package", "DurableGen.OpenTelemetry", "--version", feed.Version);
        await Dotnet(project, 300, "add", "package", "OpenTelemetry.Exporter.Console");
        await Dotnet(project, 120, "new", "tool-manifest");
        await Dotnet(project, 300, "tool", "install", "DurableGen.Cli", "--version", feed.Version);

        // The function's own output (the console exporter's spans) reaches the developer on stderr, tagged with its name.
        var run = await Dotnet(project, 300, includeStderr: true, "durablegen", "run", ".", "--function", "Greeter", "--input", "\"ada\"");
        Assert.Contains("\"hello ada!\"", run, StringComparison.Ordinal);
        var spans = Regex.Matches(run, @"Activity\.TraceId:\s+(?<trace>[0-9a-f]{32})\s.*?Activity\.DisplayName:\s+(?<name>[^\r\n]+)",
            RegexOptions.Singleline).Select(m => (Trace: m.Groups["trace"].Value, Name: m.Groups["name"].Value.Trim())).ToList();
        Assert.Equal(2, spans.Count(s => s.Name == "Invocation")); // the wait suspended the first invocation
        Assert.Equal(1, spans.Count(s => s.Name == "Workflow"));
        Assert.Contains(spans, s => s.Name == "greet attempt 1");
        Assert.Contains(spans, s => s.Name == "shout attempt 1");
        Assert.Single(spans.Select(s => s.Trace).Distinct());
    }

    public void Dispose() => LocalFeed.TryDelete(_work);

    /// <summary>The feed is the only place DurableGen comes from; nuget.org (or its mirror) still serves xunit and friends.</summary>
    private Task WriteNuGetConfigAsync() => File.WriteAllTextAsync(Path.Combine(_work, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="durablegen-local" value="{feed.Directory}" />
          </packageSources>
        </configuration>
        """);

    /// <summary>Runs <c>dotnet</c> in <paramref name="directory"/>; fails the test, with everything printed, unless it exits 0.</summary>
    private static Task<string> Dotnet(string directory, int timeoutSeconds, params string[] arguments) =>
        Dotnet(directory, timeoutSeconds, includeStderr: false, arguments);

    private static async Task<string> Dotnet(string directory, int timeoutSeconds, bool includeStderr, params string[] arguments)
    {
        var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet", arguments, timeoutSeconds,
            "dotnet is missing: install the .NET SDK global.json names.", directory);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} exited {code}:\n{stdout}\n{stderr}");
        return includeStderr ? stdout + "\n" + stderr : stdout;
    }
}
