using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static DurableGen.Generators.Tests.GeneratorHarness;
using StepNames = DurableGen.Generators.DurableWorkflowGenerator.StepNames;

namespace DurableGen.Generators.Tests;

/// <summary>
/// The generator's incremental caching as an IDE sees it: the driver of one run is re-run over the edited compilation,
/// and its tracked steps say what re-ran. An edit that only moves code (a blank line, a comment) must leave every
/// generated file cached while diagnostics follow the code to its new position.
/// </summary>
public sealed class IncrementalCachingTests
{
    /// <summary>The steps whose output is what a generated file is written from (see DurableWorkflowGenerator).</summary>
    private static readonly string[] SourceSteps =
    [
        StepNames.WorkflowSource, StepNames.FunctionSource, StepNames.CallbackSource, StepNames.AssemblySource, StepNames.ManifestSource,
    ];

    private const string Shop = """
        namespace Shop;

        public sealed record Order(string Id, int Amount);
        public sealed record Decision(bool Approved);

        [Callback("manager-approval", typeof(Decision), TimeoutSeconds = 3600)]
        public partial class ManagerApproval;

        [DurableWorkflow(FunctionName = "order-flow")]
        public partial class OrderWorkflow
        {
            public async Task<int> RunAsync(Order order, IDurableContext context)
            {
                var decision = await ManagerApproval.WaitAsync(context, (id, token) => Task.CompletedTask);
                var price = await context.InvokeAsync<Order, int>("pricer", order);
                return decision.Approved ? price : 0;
            }
        }

        [LambdaFunction(FunctionName = "pricer")]
        public partial class Pricer
        {
            public Task<int> HandleAsync(Order order, ILambdaContext context)
            {
                return Task.FromResult(order.Amount);
            }
        }

        """;

    private static readonly string ShopSource = Shop + StubContext("ShopJson", "Order", "Decision", "int");

    /// <summary>The same code one line lower, with a comment in a method body: only trivia and positions differ.</summary>
    private static readonly string MovedSource = ShopSource
        .Replace("[DurableWorkflow(", "\n[DurableWorkflow(", System.StringComparison.Ordinal)
        .Replace("return Task.FromResult(order.Amount);",
            "// Priced at face value.\n        return Task.FromResult(order.Amount);", System.StringComparison.Ordinal);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_edit_of_trivia_and_positions_only_leaves_every_generated_file_cached(bool deploymentAnalysis)
    {
        var run = Run(ShopSource, deploymentAnalysis: deploymentAnalysis);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(["DurableDeployment.g.cs", "DurableWorkflows.g.cs", "Shop.ManagerApproval.Callback.g.cs",
            "Shop.OrderWorkflow.DurableWorkflow.g.cs", "Shop.Pricer.LambdaFunction.g.cs"], run.Generated.Keys.Order().ToArray());

        Assert.Equal(ShopSource.Split('\n').Length + 2, MovedSource.Split('\n').Length);

        var (result, diagnostics) = Rerun(run, MovedSource);

        Assert.Empty(diagnostics);
        Assert.Equal(run.Generated, Generated(result));
        var regenerated = SourceOutputs(result).Where(o => !IsCached(o.Reason)).ToList();
        Assert.True(regenerated.Count == 0,
            "a generated file was written again: " + string.Join(", ", regenerated.Select(o => $"{string.Join("+", o.Files)} ({o.Reason})")));
        // Each file comes from a named step: all of them are present, and none produced a new value.
        foreach (var name in SourceSteps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"no step is named {name}");
            var outputs = steps.SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(IsCached(o.Reason), $"{name} re-ran: {o.Reason}"));
        }

        // Every output fed by a source step is cached (the reporting steps, fed by the parses, may re-run).
        var fedBySource = result.TrackedOutputSteps.SelectMany(p => p.Value)
            .Where(step => step.Inputs.Any(i => SourceSteps.Contains(i.Source.Name))).ToList();
        Assert.Equal(SourceSteps.Length, fedBySource.Count);
        Assert.All(fedBySource.SelectMany(s => s.Outputs), o => Assert.True(IsCached(o.Reason), $"an output re-ran: {o.Reason}"));
    }

    [Fact]
    public void Renaming_the_workflow_regenerates_its_files()
    {
        var run = Run(ShopSource);

        var (result, diagnostics) = Rerun(run, ShopSource.Replace("\"order-flow\"", "\"order-flow-v2\"", System.StringComparison.Ordinal));

        Assert.Empty(diagnostics);
        Assert.Contains(result.TrackedSteps[StepNames.WorkflowSource].SelectMany(s => s.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(SourceOutputs(result), o => o.Reason == IncrementalStepRunReason.Modified);
        var generated = Generated(result);
        Assert.Contains("public const string FunctionName = \"order-flow-v2\";", generated["Shop.OrderWorkflow.DurableWorkflow.g.cs"],
            System.StringComparison.Ordinal);
        Assert.Contains("order-flow-v2", generated["DurableDeployment.g.cs"], System.StringComparison.Ordinal);
        // What the rename does not touch stays cached.
        Assert.All(result.TrackedSteps[StepNames.CallbackSource].SelectMany(s => s.Outputs),
            o => Assert.True(IsCached(o.Reason), $"the callback re-ran: {o.Reason}"));
    }

    [Fact]
    public void Diagnostics_follow_the_code_when_it_moves()
    {
        // DG1006 is reported for the assembly, DG1007 for one function, DG1014 from the deployment facts: each from a
        // step that writes no file, each at a position the edit moves.
        const string Source = """
            [DurableWorkflow(FunctionName = "same")]
            public partial class A
            {
                public Task<int> RunAsync(string input, IDurableContext context) => context.InvokeAsync<string, int>(input, input);
            }

            [LambdaFunction(FunctionName = "same")]
            public partial class B
            {
                public Task HandleAsync(int input, ILambdaContext context) => Task.CompletedTask;
            }

            [LambdaFunction(FunctionTimeout = 5000)]
            public partial class C
            {
                public Task HandleAsync(int input, ILambdaContext context) => Task.CompletedTask;
            }

            """;
        const string Above = "// Moved down.\n\n";
        var run = Run(Source, deploymentAnalysis: true);
        Assert.Equal(["DG1006@7", "DG1007@13", "DG1014@4"], run.Ids);

        var (result, diagnostics) = Rerun(run, Above + Source);

        Assert.Equal(["DG1006@9", "DG1007@15", "DG1014@6"], Lines(diagnostics));
        var before = run.GeneratorDiagnostics.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToList();
        var after = diagnostics.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToList();
        var moved = Edited(run, Above + Source).GetText();
        for (var i = 0; i < after.Count; i++)
        {
            // The span moved with the text, not only the line: it still covers the attribute or the call.
            Assert.Equal(before[i].Location.SourceSpan.Start + Above.Length, after[i].Location.SourceSpan.Start);
            var text = moved.ToString(after[i].Location.SourceSpan);
            Assert.True(text.StartsWith("DurableWorkflow(", System.StringComparison.Ordinal)
                        || text.StartsWith("LambdaFunction(", System.StringComparison.Ordinal)
                        || text.StartsWith("context.InvokeAsync", System.StringComparison.Ordinal),
                $"{after[i].Id} points at '{text}'");
        }

        Assert.Equal(run.Generated, Generated(result));
        Assert.All(SourceOutputs(result), o => Assert.True(IsCached(o.Reason), $"a generated file was written again: {o.Reason}"));
        // The reporting steps re-ran to say so.
        foreach (var name in new[] { StepNames.FunctionDiagnostics, StepNames.AssemblyDiagnostics, StepNames.ManifestDiagnostics })
        {
            Assert.Contains(result.TrackedSteps[name].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        }
    }

    private static bool IsCached(IncrementalStepRunReason reason) =>
        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;

    private static SyntaxTree Edited(GeneratorRun run, string source) =>
        CSharpSyntaxTree.ParseText(Usings + source, new CSharpParseOptions(LanguageVersion.CSharp12), run.Input.SyntaxTrees.Single().FilePath);

    /// <summary>Runs the driver of <paramref name="run"/> again over its compilation with the user file replaced, as an IDE does after an edit.</summary>
    private static (GeneratorRunResult Result, ImmutableArray<Diagnostic> Diagnostics) Rerun(GeneratorRun run, string source)
    {
        var edited = run.Input.ReplaceSyntaxTree(run.Input.SyntaxTrees.Single(), Edited(run, source));
        var driver = run.Driver.RunGeneratorsAndUpdateCompilation(edited, out _, out var diagnostics);
        return (driver.GetRunResult().Results.Single(), diagnostics);
    }

    private static Dictionary<string, string> Generated(GeneratorRunResult result) =>
        result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    private static List<string> Lines(ImmutableArray<Diagnostic> diagnostics)
    {
        var usings = Usings.Split('\n').Length - 1;
        return diagnostics.Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1 - usings}")
            .OrderBy(s => s, System.StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Every output of the steps that write files, whatever the steps are called: a source output's value is the pair
    /// (sources added, diagnostics reported), so the outputs that added a source are the ones that wrote a file.
    /// </summary>
    private static List<(IncrementalStepRunReason Reason, List<string> Files)> SourceOutputs(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs)
            .Select(o => (o.Reason, Files: HintNames(o.Value)))
            .Where(o => o.Files.Count > 0)
            .ToList();

    private static List<string> HintNames(object value) =>
        value is ITuple { Length: 2 } pair && pair[0] is IEnumerable sources
            ? sources.Cast<object>().Select(s => s.GetType().GetProperty("HintName")?.GetValue(s) as string ?? "?").ToList()
            : [];
}
