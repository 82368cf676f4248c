using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>
/// DG2001–DG2007, DG2030, DG2031: non-deterministic code in workflow code, directly or through helper methods of the compilation.
/// A direct finding is reported on the expression; a transitive one on the call in workflow code that leads to it,
/// with the whole chain in the message and the offending expression as an additional location.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeterminismAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property set on transitive diagnostics: the diagnostic sits on a call into a helper.</summary>
    public const string TransitiveProperty = "Transitive";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.WallClock, DiagnosticDescriptors.Randomness, DiagnosticDescriptors.InputOutput,
        DiagnosticDescriptors.EnvironmentRead, DiagnosticDescriptors.Sleep, DiagnosticDescriptors.Threading,
        DiagnosticDescriptors.ConsoleOutput, DiagnosticDescriptors.StaticState, DiagnosticDescriptors.InjectedLogger);

    private static readonly ImmutableDictionary<string, string?> TransitiveProperties =
        ImmutableDictionary<string, string?>.Empty.Add(TransitiveProperty, "true");

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known)
            {
                return;
            }

            var graph = new HelperCallGraph(known);
            start.RegisterOperationAction(
                c => Analyze(c, known, graph),
                OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.ObjectCreation,
                OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.CoalesceAssignment,
                OperationKind.Increment, OperationKind.Decrement);
        });
    }

#pragma warning disable RS1005 // The descriptors come from DeterminismRules, which only returns supported ones.
    private static void Analyze(OperationAnalysisContext context, KnownSymbols known, HelperCallGraph graph)
    {
        var operation = context.Operation;
        var direct = DeterminismRules.Classify(operation, known);
        var callee = direct is null ? graph.FollowedCallee(operation) : null;
        if (direct is null && callee is null)
        {
            return;
        }

        var region = WorkflowRegions.Classify(operation, context.ContainingSymbol, known);
        if (!region.IsWorkflow)
        {
            return;
        }

        if (direct is { } d)
        {
            context.ReportDiagnostic(Diagnostic.Create(d.Rule, operation.Syntax.GetLocation(), d.Api,
                region.RootName + " → " + d.Api));
            return;
        }

        foreach (var finding in graph.FindingsOf(callee!))
        {
            var chain = region.RootName + " → " + string.Join(" → ", finding.Path) + " → " + finding.Api;
            context.ReportDiagnostic(Diagnostic.Create(finding.Rule, operation.Syntax.GetLocation(),
                ImmutableArray.Create(finding.Location), TransitiveProperties, finding.Api, chain));
        }
    }
#pragma warning restore RS1005
}
