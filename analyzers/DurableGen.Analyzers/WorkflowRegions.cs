using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>What kind of code an operation sits in.</summary>
internal enum RegionKind
{
    /// <summary>Ordinary code: not known to run inside a workflow (it may be a helper that a workflow calls).</summary>
    Ordinary,

    /// <summary>Workflow code: re-runs on every replay.</summary>
    Workflow,

    /// <summary>A step body: runs once and is checkpointed.</summary>
    StepBody,

    /// <summary>The submitter of WaitForCallbackAsync: a step.</summary>
    Submitter,

    /// <summary>The check of WaitForConditionAsync: one poll per attempt, checkpointed.</summary>
    ConditionCheck,
}

/// <summary>Where an operation sits, and the name that starts its call chain.</summary>
internal readonly struct Region
{
    public Region(RegionKind kind, string rootName, IOperation? boundary)
    {
        Kind = kind;
        RootName = rootName;
        Boundary = boundary;
    }

    public RegionKind Kind { get; }

    /// <summary>The workflow method (or context-taking local function) the chain starts from.</summary>
    public string RootName { get; }

    /// <summary>The lambda or local function that decided the region, or null when the method itself did.</summary>
    public IOperation? Boundary { get; }

    public bool IsWorkflow => Kind == RegionKind.Workflow;

    public bool IsInsideStep => Kind is RegionKind.StepBody or RegionKind.Submitter or RegionKind.ConditionCheck;
}

internal static class WorkflowRegions
{
    /// <summary>
    /// Classifies <paramref name="operation"/>: the innermost lambda or local function whose parameters say what it is
    /// (IDurableContext: workflow; IStepContext: step body; IWaitForCallbackContext: submitter; IConditionCheckContext:
    /// condition check) decides; other lambdas inherit from their surroundings; at the top the member decides.
    /// </summary>
    public static Region Classify(IOperation operation, ISymbol? containingSymbol, KnownSymbols known)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            IMethodSymbol? function = current switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
            if (function is null)
            {
                continue;
            }

            var kind = FunctionKind(function, known)
                       ?? (current is IAnonymousFunctionOperation anonymous ? known.Forwarding.KindOf(anonymous) : null);
            if (kind is { } k)
            {
                var rootName = k == RegionKind.Workflow && current is ILocalFunctionOperation
                    ? function.Name
                    : MemberName(containingSymbol);
                return new Region(k, rootName, current);
            }
        }

        if (containingSymbol is IMethodSymbol method && known.IsWorkflowRoot(method))
        {
            return new Region(RegionKind.Workflow, MemberName(method), null);
        }

        return new Region(RegionKind.Ordinary, MemberName(containingSymbol), null);
    }

    /// <summary>The region a function's own parameters decide, or null when it inherits.</summary>
    public static RegionKind? FunctionKind(IMethodSymbol function, KnownSymbols known)
    {
        if (known.HasDurableContextParameter(function))
        {
            return RegionKind.Workflow;
        }

        if (known.HasParameterOfType(function, known.StepContext))
        {
            return RegionKind.StepBody;
        }

        if (known.HasParameterOfType(function, known.WaitForCallbackContext))
        {
            return RegionKind.Submitter;
        }

        if (known.HasParameterOfType(function, known.ConditionCheckContext))
        {
            return RegionKind.ConditionCheck;
        }

        return null;
    }

    /// <summary>How a member shows in a call chain: a method's name, a property's name, <c>new T</c> for a constructor.</summary>
    public static string MemberName(ISymbol? symbol) => symbol switch
    {
        null => "?",
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + ctor.ContainingType.Name,
        IMethodSymbol { AssociatedSymbol: IPropertySymbol property } => property.Name,
        _ => symbol.Name,
    };

    /// <summary>How an API shows in a message: <c>Type.Member</c>.</summary>
    public static string ApiName(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + ctor.ContainingType.Name + "()",
        IMethodSymbol method => (method.ReducedFrom ?? method).ContainingType.Name + "." + method.Name,
        _ => symbol.ContainingType is { } type ? type.Name + "." + symbol.Name : symbol.Name,
    };

    /// <summary>Skips implicit conversions and parentheses upwards.</summary>
    public static IOperation? WalkUpConversions(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>The top of the operation tree that contains <paramref name="operation"/>.</summary>
    public static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }
}
