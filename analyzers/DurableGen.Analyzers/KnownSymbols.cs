using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DurableGen.Analyzers;

/// <summary>
/// The runtime types the analyzers look for, resolved by metadata name: the analyzers never reference the runtime
/// assembly. <see cref="TryCreate"/> returns null when the compilation does not reference DurableGen, and then no
/// analyzer registers anything.
/// </summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation, INamedTypeSymbol durableContext)
    {
        Compilation = compilation;
        DurableContext = durableContext;
        StepContext = compilation.GetTypeByMetadataName("DurableGen.IStepContext");
        WaitForCallbackContext = compilation.GetTypeByMetadataName("DurableGen.IWaitForCallbackContext");
        ConditionCheckContext = compilation.GetTypeByMetadataName("DurableGen.IConditionCheckContext");
        Callback = compilation.GetTypeByMetadataName("DurableGen.ICallback`1");
        CallbackClient = compilation.GetTypeByMetadataName("DurableGen.IDurableCallbackClient");
        CallbackClientExtensions = compilation.GetTypeByMetadataName("DurableGen.DurableCallbackClientExtensions");
        LambdaContext = compilation.GetTypeByMetadataName("DurableGen.ILambdaContext");
        DurableWorkflowAttribute = compilation.GetTypeByMetadataName("DurableGen.DurableWorkflowAttribute");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        OperationCanceledException = compilation.GetTypeByMetadataName("System.OperationCanceledException");
        Forwarding = new DelegateForwarding(this);
    }

    /// <summary>Lambdas that helpers run inside steps (per compilation cache).</summary>
    public DelegateForwarding Forwarding { get; }

    public Compilation Compilation { get; }
    public INamedTypeSymbol DurableContext { get; }
    public INamedTypeSymbol? StepContext { get; }
    public INamedTypeSymbol? WaitForCallbackContext { get; }
    public INamedTypeSymbol? ConditionCheckContext { get; }
    public INamedTypeSymbol? Callback { get; }
    public INamedTypeSymbol? CallbackClient { get; }
    public INamedTypeSymbol? CallbackClientExtensions { get; }
    public INamedTypeSymbol? LambdaContext { get; }
    public INamedTypeSymbol? DurableWorkflowAttribute { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? OperationCanceledException { get; }

    public static KnownSymbols? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName("DurableGen.IDurableContext") is { } ctx ? new KnownSymbols(compilation, ctx) : null;

    /// <summary>
    /// The declarations of <paramref name="symbol"/> this compilation can bind. In the IDE a project reference is a
    /// compilation reference, so a method of another project has syntax too, in trees this compilation has no semantic
    /// model for (asking throws); the command-line build sees that project as metadata, with no syntax at all. Treating
    /// foreign syntax as none keeps the IDE and the build alike.
    /// </summary>
    public ImmutableArray<SyntaxReference> SourceOf(ISymbol symbol)
    {
        var references = symbol.DeclaringSyntaxReferences;
        return references.All(r => Compilation.ContainsSyntaxTree(r.SyntaxTree))
            ? references
            : references.Where(r => Compilation.ContainsSyntaxTree(r.SyntaxTree)).ToImmutableArray();
    }

    public bool IsDurableContext(ITypeSymbol? type) =>
        type is not null && (SymbolEqualityComparer.Default.Equals(type, DurableContext) || Implements(type, DurableContext));

    public bool IsCallback(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named || Callback is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Callback))
        {
            return true;
        }

        foreach (var i in named.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, Callback))
            {
                return true;
            }
        }

        return false;
    }

    public bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        type is not null && known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    /// <summary>A durable operation: a task-returning member of IDurableContext (present or future), or an extension method on it.</summary>
    public bool IsDurableOperation(IMethodSymbol method)
    {
        var original = method.ReducedFrom ?? method;
        if (original.IsExtensionMethod)
        {
            return original.Parameters.Length > 0 && IsDurableContext(original.Parameters[0].Type) && ReturnsTask(original);
        }

        return IsDurableContext(method.ContainingType) && ReturnsTask(method);
    }

    /// <summary><see cref="IsDurableOperation"/> or <c>ICallback&lt;T&gt;.GetResultAsync</c>.</summary>
    public bool IsDurableAwaitable(IMethodSymbol method) =>
        IsDurableOperation(method) || (IsCallback(method.ContainingType) && method.Name == "GetResultAsync");

    public static bool ReturnsTask(IMethodSymbol method) =>
        method.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", ContainingNamespace: { } ns }
        && ns.ToDisplayString() == "System.Threading.Tasks";

    public bool HasParameterOfType(IMethodSymbol method, INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var p in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(p.Type, type))
            {
                return true;
            }
        }

        return false;
    }

    public bool HasDurableContextParameter(IMethodSymbol method)
    {
        foreach (var p in method.Parameters)
        {
            if (IsDurableContext(p.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Workflow roots: any method with an IDurableContext parameter, and RunAsync of a [DurableWorkflow] class.</summary>
    public bool IsWorkflowRoot(IMethodSymbol method)
    {
        if (HasDurableContextParameter(method))
        {
            return true;
        }

        if (DurableWorkflowAttribute is not null && method.Name == "RunAsync" && method.ContainingType is { } type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, DurableWorkflowAttribute))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Implements(ITypeSymbol type, INamedTypeSymbol iface)
    {
        foreach (var i in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(i, iface))
            {
                return true;
            }
        }

        return false;
    }
}
