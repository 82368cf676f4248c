using System;
using System.IO;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// <c>dotnet format analyzers</c> applies DurableGen's code fixes in bulk, as a user cleaning up a project would: it
/// needs each fix's Fix All (without one it prints "doesn't support Fix All in Solution", exits 0 and changes nothing).
/// The project sits outside this repository and references src/DurableGen, which brings the analyzers and fixes.
/// </summary>
[Collection(DotnetCliCollection.Name)]
public sealed class DotnetFormatTests
{
    private const string Before = """
        using System;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using DurableGen;

        namespace Outside;

        public sealed record Quote(string Customer, decimal Amount);

        [DurableWorkflow(FunctionName = "quoter")]
        public sealed partial class Quoter
        {
            public async Task<string> RunAsync(string customer, IDurableContext context)
            {
                var requested = DateTime.UtcNow;
                var reference = Guid.NewGuid();
                await Task.Delay(TimeSpan.FromMinutes(5));
                var quote = await context.StepAsync((_, _) => Task.FromResult(new Quote(customer, 42m)), "price");
                return $"{quote.Amount} for {quote.Customer} ({reference}, {requested:O})";
            }
        }

        [JsonSerializable(typeof(string))]
        internal sealed partial class AppJson : JsonSerializerContext;
        """;

    [Fact]
    public async Task Dotnet_format_applies_every_fix_and_the_project_then_builds_without_a_DG_diagnostic()
    {
        using var project = OutsideProject.Create("format", "Quoter.cs", Before);
        var source = project.PathOf("Quoter.cs");

        // Before: each fixable rule fires (DG2001 clock, DG2002 new id, DG2005 delay, DG1009 Quote). The default
        // configuration, as dotnet format loads the project: it runs the analyzers this build leaves in bin/Debug.
        var (code, stdout, stderr) = await project.DotnetAsync("build", "-nodeReuse:false", "-clp:NoSummary");
        Assert.True(code == 0, $"dotnet build failed:\n{stdout}\n{stderr}");
        foreach (var id in new[] { "DG2001", "DG2002", "DG2005", "DG1009" })
        {
            Assert.Contains($"warning {id}", stdout, StringComparison.Ordinal);
        }

        // dotnet format computes the diagnostics once per run and applies each rule's Fix All in turn, so a fix
        // whose diagnostic a previous fix moved (the steps above Task.Delay shift it) waits for a second run.
        var log = "";
        for (var pass = 1; pass <= 2; pass++)
        {
            (code, stdout, stderr) = await project.DotnetAsync("format", "analyzers", "Function.csproj", "--diagnostics",
                "DG2001", "DG2002", "DG2005", "DG1009", "--severity", "info", "-v", "diag");
            Assert.True(code == 0, $"dotnet format failed:\n{stdout}\n{stderr}");
            Assert.DoesNotContain("doesn't support Fix All", stdout + stderr, StringComparison.Ordinal);
            log += stdout;
            if (pass == 1)
            {
                Assert.NotEqual(Before, await File.ReadAllTextAsync(source));
            }
        }

        var after = await File.ReadAllTextAsync(source);
        Assert.Contains("await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow)", after, StringComparison.Ordinal);
        Assert.Contains("await context.StepAsync((_, _) => Task.FromResult(Guid.NewGuid())", after, StringComparison.Ordinal);
        Assert.Contains("context.WaitAsync(TimeSpan.FromMinutes(5))", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Task.Delay", after, StringComparison.Ordinal);
        Assert.Contains("[JsonSerializable(typeof(Quote))]", after, StringComparison.Ordinal);

        (code, stdout, stderr) = await project.DotnetAsync("build", "-nodeReuse:false", "-clp:NoSummary");
        Assert.True(code == 0, $"dotnet build after dotnet format failed:\n{stdout}\n{stderr}\n{after}\n{log}");
        Assert.DoesNotContain(": warning DG", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(": error DG", stdout, StringComparison.Ordinal);
    }
}
