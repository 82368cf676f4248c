using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>
/// Lambdas handed to helpers that run them inside a step. The typed callback contracts the generator writes
/// (<c>ManagerApproval.WaitAsync(context, (callbackId, ct) => …)</c>) take a plain delegate and pass it on as the
/// submitter of WaitForCallbackAsync; such a lambda is a submitter, not workflow code. A helper parameter counts when
/// every use of it in the helper's source is (a) an argument to a durable operation whose delegate takes a step,
/// submitter or condition context, (b) a call of it inside such a delegate, or (c) an argument to another helper
/// parameter that counts (depth-limited). Guards do not count as uses: a null check (<c>ThrowIfNull(submit)</c>,
/// <c>submit is null</c>, <c>submit == null</c>) or <c>nameof(submit)</c> neither runs nor leaks the delegate, and the
/// generated contracts start with one.
/// </summary>
internal sealed class DelegateForwarding
{
    private const int MaxDepth = 4;
    private readonly KnownSymbols _known;
    private readonly ConcurrentDictionary<IParameterSymbol, RegionKind?> _cache = new(SymbolEqualityComparer.Default);

    public DelegateForwarding(KnownSymbols known) => _known = known;

    /// <summary>The region a lambda runs in when a helper forwards it into a step; null when unknown.</summary>
    public RegionKind? KindOf(IAnonymousFunctionOperation lambda)
    {
        // Helpers analysed here classify their own lambdas, which may ask again: bound the nesting.
        if (s_nesting >= MaxDepth)
        {
            return null;
        }

        s_nesting++;
        try
        {
            return KindOfCore(lambda);
        }
        finally
        {
            s_nesting--;
        }
    }

    [System.ThreadStatic]
    private static int s_nesting;

    private RegionKind? KindOfCore(IAnonymousFunctionOperation lambda)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation invocation }
               && !_known.IsDurableOperation(invocation.TargetMethod)
            ? KindOf(parameter.OriginalDefinition, MaxDepth)
            : null;
    }

    private RegionKind? KindOf(IParameterSymbol parameter, int depth)
    {
        if (_cache.TryGetValue(parameter, out var cached))
        {
            return cached;
        }

        var result = depth == 0 ? null : Compute(parameter, depth);
        if (depth == MaxDepth)
        {
            _cache.TryAdd(parameter, result);
        }

        return result;
    }

    private RegionKind? Compute(IParameterSymbol parameter, int depth)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || _known.SourceOf(method).IsEmpty
            || parameter.Type.TypeKind != TypeKind.Delegate)
        {
            return null;
        }

        RegionKind? kind = null;
        foreach (var reference in _known.SourceOf(method))
        {
            var node = reference.GetSyntax();
#pragma warning disable RS1030 // The helper may live in another (generated) document.
            var body = _known.Compilation.GetSemanticModel(node.SyntaxTree).GetOperation(node);
#pragma warning restore RS1030
            if (body is null)
            {
                continue;
            }

            foreach (var use in body.Descendants().OfType<IParameterReferenceOperation>()
                         .Where(r => SymbolEqualityComparer.Default.Equals(r.Parameter, parameter)))
            {
                if (IsGuard(use))
                {
                    continue;
                }

                var useKind = KindOfUse(use, method, depth);
                if (useKind is null || (kind is not null && kind != useKind))
                {
                    return null;
                }

                kind = useKind;
            }
        }

        return kind;
    }

    private static bool IsGuard(IParameterReferenceOperation use)
    {
        var parent = use.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "ThrowIfNull" } method } } =>
                method.ContainingType is { Name: "ArgumentNullException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } },
            IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, OperatorMethod: null } binary =>
                IsNullConstant(binary.LeftOperand) || IsNullConstant(binary.RightOperand),
            INameOfOperation => true,
            _ => false,
        };
    }

    private static bool IsNullConstant(IOperation operand)
    {
        while (operand is IConversionOperation conversion)
        {
            operand = conversion.Operand;
        }

        return operand.ConstantValue is { HasValue: true, Value: null };
    }

    private RegionKind? KindOfUse(IParameterReferenceOperation use, IMethodSymbol helper, int depth)
    {
        var parent = use.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IArgumentOperation { Parameter: { } target, Parent: IInvocationOperation invocation }:
                if (_known.IsDurableOperation(invocation.TargetMethod))
                {
                    return target.Type is INamedTypeSymbol { DelegateInvokeMethod: { } invoke }
                           && WorkflowRegions.FunctionKind(invoke, _known) is { } k && k != RegionKind.Workflow
                        ? k
                        : null;
                }

                return KindOf(target.OriginalDefinition, depth - 1);
            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke }:
                var region = WorkflowRegions.Classify(use, helper, _known);
                return region.IsInsideStep ? region.Kind : null;
            default:
                return null;
        }
    }
}
