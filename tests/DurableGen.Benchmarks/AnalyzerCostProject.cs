using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace DurableGen.Benchmarks;

/// <summary>
/// Writes the project <c>--analyzer-cost</c> builds: <see cref="Workflows"/> [DurableWorkflow] classes of the shape real
/// workflows have (steps, a wait, a typed callback and a raw one, a child context, a map, a parallel, and helper methods
/// called from workflow code so the transitive analysis has chains to follow), one JsonSerializerContext, and the
/// repository's runtime, generator and analyzers referenced as the samples reference them.
/// </summary>
internal static class AnalyzerCostProject
{
    /// <summary>How many workflows the project has.</summary>
    public const int Workflows = 200;

    /// <summary>Workflows share the types and helpers of a domain, as the workflows of one service do.</summary>
    private const int Domains = 20;

    /// <summary>The file of the one workflow with a deliberate DG2001, which shows whether the analyzers ran.</summary>
    public const string PlantedFile = "Workflow000.cs";

    public const string ProjectFile = "AnalyzerCost.csproj";

    /// <summary>Writes the project into <paramref name="directory"/>; returns the number of C# files and their lines.</summary>
    public static (int Files, int Lines) Write(string directory, string repositoryRoot)
    {
        Directory.CreateDirectory(Path.Combine(directory, "Workflows"));
        File.Copy(Path.Combine(repositoryRoot, "global.json"), Path.Combine(directory, "global.json"));

        // Nothing from above the temp directory may change the build (the repository's props turn warnings into errors).
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, ".editorconfig"), """
            root = true

            [*.cs]
            # The planted violation must stay a warning: the "on" build reports it, the "off" build must not.
            dotnet_diagnostic.DG2001.severity = warning

            """);
        File.WriteAllText(Path.Combine(directory, ProjectFile), ProjectXml(repositoryRoot));

        var files = 0;
        var lines = 0;
        void Source(string path, string text)
        {
            File.WriteAllText(Path.Combine(directory, path), text);
            files++;
            lines += text.Count(c => c == '\n');
        }

        Source("Models.cs", Models());
        Source("Shared.cs", Shared);
        for (var domain = 0; domain < Domains; domain++)
        {
            Source($"Domain{domain:00}.cs", Domain(domain));
        }

        for (var i = 0; i < Workflows; i++)
        {
            Source(Path.Combine("Workflows", $"Workflow{i:000}.cs"), Workflow(i, i % Domains, planted: i == 0));
        }

        return (files, lines);
    }

    private static string ProjectXml(string root)
    {
        string Path(params string[] parts) => System.IO.Path.Combine([root, .. parts]);
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <!-- An executable without its own Main: the generator writes it, so a build without the generator fails. -->
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <LangVersion>latest</LangVersion>
                <!-- Only DurableGen's analyzers differ between "on" and "off": the SDK's CA rules are off in both. -->
                <EnableNETAnalyzers>false</EnableNETAnalyzers>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path("src", "DurableGen", "DurableGen.csproj")}" />
                <ProjectReference Include="{Path("generators", "DurableGen.Generators", "DurableGen.Generators.csproj")}"
                                  OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <ProjectReference Include="{Path("analyzers", "DurableGen.Analyzers", "DurableGen.Analyzers.csproj")}"
                                  OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <ProjectReference Include="{Path("analyzers", "DurableGen.Analyzers.CodeFixes", "DurableGen.Analyzers.CodeFixes.csproj")}"
                                  OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
              <!-- What the DurableGen package brings: the switch for the generator's deployment analysis. -->
              <Import Project="{Path("src", "DurableGen", "build", "DurableGen.targets")}" />
              <!-- -p:DurableGenAnalyzers=false: every other analyzer still runs, so the difference is the DG2xxx rules alone. -->
              <Target Name="RemoveDurableGenAnalyzers" BeforeTargets="CoreCompile" Condition="'$(DurableGenAnalyzers)' == 'false'">
                <ItemGroup>
                  <Analyzer Remove="@(Analyzer)" Condition="'%(Filename)' == 'DurableGen.Analyzers' Or '%(Filename)' == 'DurableGen.Analyzers.CodeFixes'" />
                </ItemGroup>
              </Target>
            </Project>

            """;
    }

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using DurableGen;
        using Microsoft.Extensions.Logging;

        """;

    private static string Models()
    {
        var text = new StringBuilder("using System.Collections.Generic;\nusing System.Text.Json.Serialization;\nusing DurableGen;\n\nnamespace Bench;\n\n");
        var serializable = new List<string> { "string", "bool", "int", "decimal" };
        for (var d = 0; d < Domains; d++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                public sealed record Line{d}(string Sku, int Quantity, decimal Price);
                public sealed record Order{d}(string Id, string Customer, List<Line{d}> Lines);
                public sealed record Decision{d}(bool Approved, string Approver);
                public sealed record Result{d}(string OrderId, string Status, decimal Total, int ChecksPassed, string Settlement);

                [Callback("approval-{d}", typeof(Decision{d}), TimeoutSeconds = 86400, HeartbeatTimeoutSeconds = 3600)]
                public static partial class Approval{d};


                """);
            serializable.AddRange([$"Line{d}", $"Order{d}", $"Decision{d}", $"Result{d}"]);
        }

        text.Append(string.Concat(serializable.Select(t => $"[JsonSerializable(typeof({t}))]\n")));
        text.Append("public sealed partial class BenchJson : JsonSerializerContext;\n");
        return text.ToString();
    }

    // Services the steps call: real I/O, which is fine inside steps and submitters.
    private const string Shared = Usings + """
        namespace Bench;

        public static class Services
        {
            private static readonly HttpClient s_http = new() { BaseAddress = new Uri("https://services.invalid/") };

            public static async Task<string> ReserveAsync(string orderId, int lines, CancellationToken ct) =>
                await s_http.GetStringAsync($"inventory/reserve/{orderId}/{lines}", ct);

            public static async Task<bool> FraudCheckAsync(string customer, CancellationToken ct) =>
                (await s_http.GetStringAsync($"risk/fraud/{customer}", ct)) == "ok";

            public static async Task<bool> CreditCheckAsync(string customer, decimal amount, CancellationToken ct) =>
                (await s_http.GetStringAsync($"risk/credit/{customer}/{amount}", ct)) == "ok";

            public static async Task<string> ChargeAsync(string orderId, decimal amount, CancellationToken ct) =>
                await s_http.GetStringAsync($"payments/charge/{orderId}/{amount}", ct);

            public static async Task<string> ConfirmAsync(string charge, CancellationToken ct) =>
                await s_http.GetStringAsync($"payments/confirm/{charge}", ct);

            public static Task NotifyAsync(string callbackId, string orderId, CancellationToken ct) =>
                s_http.PostAsync($"notify/{orderId}?callback={callbackId}", null, ct);
        }

        /// <summary>A helper that runs a plain delegate inside a step: the analyzers must see the lambda as a step body.</summary>
        public static class StepHelpers
        {
            public static Task<T> InStepAsync<T>(IDurableContext context, Func<CancellationToken, Task<T>> body, string name) =>
                context.StepAsync((step, ct) => body(ct), name);
        }

        """;

    // Pure helpers called from workflow code: chains of a few calls for the transitive analysis to follow.
    private static string Domain(int d) => Usings + $$"""
        namespace Bench;

        public static class Pricing{{d}}
        {
            public static decimal Quote(Order{{d}} order) => Discount(Subtotal(order), order.Lines.Count);

            public static decimal Subtotal(Order{{d}} order) => order.Lines.Sum(LineTotal);

            public static decimal LineTotal(Line{{d}} line) => Round(line.Price * line.Quantity);

            public static decimal Total(IReadOnlyList<decimal> lines) => Round(lines.Sum());

            private static decimal Discount(decimal amount, int lines) => lines > 10 ? Round(amount * 0.95m) : amount;

            private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.ToEven);
        }

        public static class Validation{{d}}
        {
            public static void Check(Order{{d}} order)
            {
                if (string.IsNullOrEmpty(order.Id) || order.Lines.Count == 0 || order.Lines.Any(l => !IsValid(l)))
                {
                    throw new ArgumentException("Invalid order " + order.Id, nameof(order));
                }
            }

            private static bool IsValid(Line{{d}} line) => line.Quantity > 0 && line.Price >= 0 && line.Sku.Length == 8;
        }

        public static class Outcomes{{d}}
        {
            public static Result{{d}} Build(Order{{d}} order, Decision{{d}} decision, Decision{{d}} audit, int checks, decimal total,
                string settlement) =>
                new(order.Id, Status(decision, audit, checks), total, checks, settlement);

            private static string Status(Decision{{d}} decision, Decision{{d}} audit, int checks) =>
                decision.Approved && audit.Approved && checks == 2 ? "APPROVED" : "REJECTED";
        }

        """;

    private static string Workflow(int i, int d, bool planted)
    {
        // The planted line reads the clock in workflow code: DG2001, a warning, in the "on" build only.
        var plantedLine = planted
            ? "        var startedAt = DateTime.UtcNow;\n        context.Logger.LogInformation(\"Started at {StartedAt}\", startedAt);\n"
            : string.Empty;
        return Usings + $$"""
            namespace Bench.Workflows;

            /// <summary>Generated workflow {{i}} of domain {{d}}.</summary>
            [DurableWorkflow(FunctionName = "workflow-{{i:000}}", ExecutionTimeout = 7 * 86400, RetentionPeriodInDays = 7)]
            public sealed partial class Workflow{{i:000}}
            {
                public async Task<Result{{d}}> RunAsync(Order{{d}} order, IDurableContext context)
                {
            {{plantedLine}}        Validation{{d}}.Check(order);
                    var reservation = await context.StepAsync(
                        (step, ct) => Services.ReserveAsync(order.Id, order.Lines.Count, ct), "reserve");
                    context.Logger.LogInformation("Reserved {Reservation} for {Order}", reservation, order.Id);

                    var quote = Pricing{{d}}.Quote(order);
                    var priced = await context.MapAsync(order.Lines,
                        (item, line, index, all, ct) => item.StepAsync((step, token) => Task.FromResult(Pricing{{d}}.LineTotal(line)), "price"),
                        "price-lines", new MapConfig<Line{{d}}> { MaxConcurrency = 4 });

                    var checks = await context.ParallelAsync(new Func<IDurableContext, CancellationToken, Task<bool>>[]
                    {
                        (branch, ct) => branch.StepAsync((step, token) => Services.FraudCheckAsync(order.Customer, token), "fraud"),
                        (branch, ct) => branch.StepAsync((step, token) => Services.CreditCheckAsync(order.Customer, quote, token), "credit"),
                    }, "checks");

                    await context.WaitAsync(TimeSpan.FromMinutes({{1 + i % 30}}), "cool-down");

                    var decision = await Approval{{d}}.WaitAsync(context,
                        (callbackId, ct) => Services.NotifyAsync(callbackId, order.Id, ct));

                    var audit = await context.CreateCallbackAsync<Decision{{d}}>("audit",
                        new CallbackConfig { Timeout = TimeSpan.FromDays(2), HeartbeatTimeout = TimeSpan.FromHours(6) });
                    await context.StepAsync((step, ct) => Services.NotifyAsync(audit.CallbackId, order.Id, ct), "request-audit");
                    var audited = await audit.GetResultAsync();

                    var settlement = await context.RunInChildContextAsync(async (child, ct) =>
                    {
                        var charge = await child.StepAsync((step, token) => Services.ChargeAsync(order.Id, quote, token), "charge",
                            new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry, RetryStrategy = RetryStrategy.None });
                        await child.WaitAsync(TimeSpan.FromSeconds(30), "settle-delay");
                        return await StepHelpers.InStepAsync(child, token => Services.ConfirmAsync(charge, token), "confirm");
                    }, "settle");

                    var total = Pricing{{d}}.Total(priced.GetResults());
                    return Outcomes{{d}}.Build(order, decision, audited, checks.GetResults().Count(ok => ok), total, settlement);
                }
            }

            """;
    }
}
