using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>
/// DG2010–DG2013: how durable operations are composed — nested in step bodies, mutating captured variables from
/// their delegates, combined with Task.WhenAll/WhenAny, or started and never awaited.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DurableStructureAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NestedOperation, DiagnosticDescriptors.CapturedMutation,
        DiagnosticDescriptors.WhenAllOverDurableTasks, DiagnosticDescriptors.UnawaitedOperation);

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

            start.RegisterOperationAction(c => AnalyzeInvocation(c, known), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeAssignment(c, known),
                OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.CoalesceAssignment,
                OperationKind.Increment, OperationKind.Decrement, OperationKind.DeconstructionAssignment);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;

        if (known.IsDurableAwaitable(method))
        {
            var region = WorkflowRegions.Classify(invocation, context.ContainingSymbol, known);
            if (region.IsInsideStep)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NestedOperation,
                    NameLocation(invocation), method.Name, ReceiverText(invocation)));
                return;
            }

            CheckAwaited(context, invocation, method);
            return;
        }

        // A helper that receives the outer context from inside a step body runs durable operations there too.
        if (invocation.Arguments.Any(a => a.Value is not IAnonymousFunctionOperation && known.IsDurableContext(a.Value.Type))
            && WorkflowRegions.Classify(invocation, context.ContainingSymbol, known).IsInsideStep)
        {
            var contextArgument = invocation.Arguments.First(a => known.IsDurableContext(a.Value.Type));
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NestedOperation,
                NameLocation(invocation), method.Name, contextArgument.Value.Syntax.ToString()));
            return;
        }

        if (method.Name is "WhenAll" or "WhenAny" or "WhenEach"
            && DeterminismRules.TypeName(method.ContainingType) == "System.Threading.Tasks.Task"
            && invocation.Arguments.Any(a => ContainsDurableTask(a.Value, known))
            && WorkflowRegions.Classify(invocation, context.ContainingSymbol, known).IsWorkflow)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WhenAllOverDurableTasks,
                invocation.Syntax.GetLocation(), "Task." + method.Name));
        }
    }

    private static void CheckAwaited(OperationAnalysisContext context, IInvocationOperation invocation, IMethodSymbol method)
    {
        var parent = WorkflowRegions.WalkUpConversions(invocation);
        string? how = parent switch
        {
            IExpressionStatementOperation => "discarded",
            ISimpleAssignmentOperation { Target: IDiscardOperation } => "discarded",
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
                when !IsReferenced(invocation, declarator.Symbol) => "stored in '" + declarator.Symbol.Name + "' and never used",
            _ => null,
        };
        if (how is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnawaitedOperation,
                NameLocation(invocation), method.Name, how));
        }
    }

    private static bool IsReferenced(IOperation operation, ILocalSymbol local) =>
        WorkflowRegions.Root(operation).Descendants()
            .Any(o => o is ILocalReferenceOperation r && SymbolEqualityComparer.Default.Equals(r.Local, local));

    /// <summary>
    /// Whether a Task.WhenAll/WhenAny argument holds durable tasks: it contains a durable operation call, or refers to a
    /// local whose initializer or assignments do.
    /// </summary>
    private static bool ContainsDurableTask(IOperation argument, KnownSymbols known)
    {
        if (argument.DescendantsAndSelf().Any(o => o is IInvocationOperation i && known.IsDurableAwaitable(i.TargetMethod)))
        {
            return true;
        }

        var locals = argument.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Select(r => r.Local)
            .ToImmutableHashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        if (locals.IsEmpty)
        {
            return false;
        }

        foreach (var operation in WorkflowRegions.Root(argument).Descendants())
        {
            IOperation? value = operation switch
            {
                IVariableDeclaratorOperation d when locals.Contains(d.Symbol) => d.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation t } a when locals.Contains(t.Local) => a.Value,
                IInvocationOperation { Instance: ILocalReferenceOperation t } i when locals.Contains(t.Local)
                    && i.TargetMethod.Name is "Add" or "AddRange" or "Insert" => i,
                _ => null,
            };
            if (value is not null && value.DescendantsAndSelf()
                    .Any(o => o is IInvocationOperation i && known.IsDurableAwaitable(i.TargetMethod)))
            {
                return true;
            }
        }

        return false;
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, KnownSymbols known)
    {
        var target = context.Operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation increment => increment.Target,
            _ => null,
        };
        if (target is null)
        {
            return;
        }

        var targets = target is ITupleOperation or IDeclarationExpressionOperation
            ? target.DescendantsAndSelf().Where(o => o is ILocalReferenceOperation or IParameterReferenceOperation)
            : new[] { target };
        foreach (var t in targets)
        {
            ISymbol? variable = t switch
            {
                ILocalReferenceOperation { IsDeclaration: false } local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (variable is null)
            {
                continue;
            }

            // The innermost durable-operation delegate around the assignment that the variable is declared outside of.
            for (var current = context.Operation.Parent; current is not null; current = current.Parent)
            {
                if (current is not IAnonymousFunctionOperation lambda)
                {
                    continue;
                }

                if (WorkflowRegions.FunctionKind(lambda.Symbol, known) is null || DurableOperationOf(lambda, known) is not { } op)
                {
                    continue;
                }

                if (!IsDeclaredInside(variable, lambda.Syntax))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CapturedMutation,
                        t.Syntax.GetLocation(), variable.Name, op.TargetMethod.Name));
                }

                break;
            }
        }
    }

    /// <summary>The durable operation a delegate is handed to, directly or inside an array or DurableBranch of its arguments.</summary>
    internal static IInvocationOperation? DurableOperationOf(IAnonymousFunctionOperation lambda, KnownSymbols known)
    {
        for (var current = lambda.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IInvocationOperation invocation:
                    return known.IsDurableOperation(invocation.TargetMethod) ? invocation : null;
                case IDelegateCreationOperation or IConversionOperation or IArgumentOperation or IArrayInitializerOperation
                    or IArrayCreationOperation or IObjectCreationOperation or IObjectOrCollectionInitializerOperation:
                    continue;
                default:
                    if (current.Kind.ToString() == "CollectionExpression")
                    {
                        continue;
                    }

                    return null;
            }
        }

        return null;
    }

    private static bool IsDeclaredInside(ISymbol variable, SyntaxNode node) =>
        variable.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == node.SyntaxTree && node.Span.Contains(r.Span));

    /// <summary>The method name of a call (without type arguments), or the whole call.</summary>
    internal static Location NameLocation(IInvocationOperation invocation) =>
        invocation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: var expression }
            ? expression switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax member => member.Name.Identifier.GetLocation(),
                Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax name => name.Identifier.GetLocation(),
                _ => invocation.Syntax.GetLocation(),
            }
            : invocation.Syntax.GetLocation();

    private static string ReceiverText(IInvocationOperation invocation)
    {
        var receiver = invocation.Instance ?? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        return receiver?.Syntax.ToString() ?? "context";
    }
}
