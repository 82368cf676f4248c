using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>
/// DG2014–DG2015: cancellation in workflow code. The engine cancels the workflow's token when an invocation suspends;
/// workflow logic must neither branch on it nor swallow the resulting OperationCanceledException.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CancellationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.CancellationBranch, DiagnosticDescriptors.CancellationSwallowed);

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

            start.RegisterOperationAction(c => AnalyzeProperty(c, known), OperationKind.PropertyReference);
            start.RegisterOperationAction(c => AnalyzeCatch(c, known), OperationKind.CatchClause);
        });
    }

    private static void AnalyzeProperty(OperationAnalysisContext context, KnownSymbols known)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.Name != "IsCancellationRequested"
            || DeterminismRules.TypeName(reference.Property.ContainingType) is not ("System.Threading.CancellationToken"
                or "System.Threading.CancellationTokenSource"))
        {
            return;
        }

        var region = WorkflowRegions.Classify(reference, context.ContainingSymbol, known);
        if (region.IsWorkflow)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CancellationBranch,
                reference.Syntax.GetLocation(), reference.Syntax.ToString(), region.RootName + " → IsCancellationRequested"));
        }
    }

    private static void AnalyzeCatch(OperationAnalysisContext context, KnownSymbols known)
    {
        var clause = (ICatchClauseOperation)context.Operation;
        if (known.OperationCanceledException is null || !DerivesFrom(clause.ExceptionType, known.OperationCanceledException))
        {
            return;
        }

        if (clause.Handler.DescendantsAndSelf().Any(o => o is IThrowOperation))
        {
            return;
        }

        var region = WorkflowRegions.Classify(clause, context.ContainingSymbol, known);
        if (!region.IsWorkflow)
        {
            return;
        }

        var location = clause.Syntax is CatchClauseSyntax { Declaration: { } declaration }
            ? declaration.Type.GetLocation()
            : clause.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CancellationSwallowed, location,
            clause.ExceptionType.Name, region.RootName + " → catch (" + clause.ExceptionType.Name + ")"));
    }

    private static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
