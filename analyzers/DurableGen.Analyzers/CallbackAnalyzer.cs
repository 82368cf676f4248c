using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>
/// DG2020: a callback id (ICallback&lt;T&gt;.CallbackId, the callback itself, or the submitter's id parameter escaping
/// the submitter) reaching a call outside a step — every replay would hand it out again. DG2021: a callback with
/// neither timeout nor heartbeat timeout.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CallbackAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.CallbackIdHandOff, DiagnosticDescriptors.CallbackWithoutTimeout);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known || known.Callback is null)
            {
                return;
            }

            var purity = new PurityCache(known);
            start.RegisterOperationBlockAction(c => AnalyzeHandOffs(c, known, purity));
            start.RegisterOperationAction(c => AnalyzeTimeouts(c, known), OperationKind.Invocation);
        });
    }

    private static void AnalyzeHandOffs(OperationBlockAnalysisContext context, KnownSymbols known, PurityCache purity)
    {
        var all = context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()).ToList();

        // Most methods hold no callback id at all: find the sources first, cheapest checks first (classifying a lambda
        // may read a helper's body), and stop when there are none.
        var tainted = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var lambda in all.OfType<IAnonymousFunctionOperation>())
        {
            if (lambda.Symbol.Parameters.Length > 0
                && lambda.Symbol.Parameters[0].Type.SpecialType == SpecialType.System_String
                && (WorkflowRegions.FunctionKind(lambda.Symbol, known) ?? known.Forwarding.KindOf(lambda)) == RegionKind.Submitter)
            {
                tainted.Add(lambda.Symbol.Parameters[0]);
            }
        }

        if (tainted.Count == 0 && !all.Any(o => IsCallbackSource(o, known)))
        {
            return;
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var operation in all)
            {
                var (target, value) = operation switch
                {
                    IVariableDeclaratorOperation { Initializer: { } init } d => (d.Symbol, init.Value),
                    IAssignmentOperation a => (SymbolOf(a.Target), a.Value),
                    IInvocationOperation { Instance: { } instance } i when IsSystem(i.TargetMethod) => (SymbolOf(instance), (IOperation?)i),
                    _ => ((ISymbol?)null, (IOperation?)null),
                };
                if (target is not null && value is not null && !tainted.Contains(target) && IsTainted(value, tainted, known))
                {
                    tainted.Add(target);
                    changed = true;
                }
            }
        }

        AnalyzeStaticStores(context, all, tainted, known);

        foreach (var invocation in all.OfType<IInvocationOperation>())
        {
            var method = invocation.TargetMethod;
            if (known.IsDurableAwaitable(method) || known.IsCallback(method.ContainingType) || !IsSink(method, known, purity))
            {
                continue;
            }

            var argument = invocation.Arguments.FirstOrDefault(a => IsTainted(a.Value, tainted, known));
            if (argument is null)
            {
                continue;
            }

            var region = WorkflowRegions.Classify(invocation, context.OwningSymbol, known);
            if (!region.IsWorkflow)
            {
                continue;
            }

            var api = WorkflowRegions.ApiName(method);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CallbackIdHandOff,
                invocation.Syntax.GetLocation(), api, Shorten(argument.Value.Syntax.ToString()), region.RootName + " → " + api));
        }
    }

    /// <summary>
    /// A callback id stored into static state (a static field or property, or a static collection, see
    /// <see cref="StaticState"/>) outside a step escapes the execution just like a hand-off: whatever reads it later,
    /// in this sandbox or on the next invocation, sees an id that every replay stores again.
    /// </summary>
    private static void AnalyzeStaticStores(OperationBlockAnalysisContext context, List<IOperation> all,
        HashSet<ISymbol> tainted, KnownSymbols known)
    {
        foreach (var operation in all)
        {
            var (member, value) = operation switch
            {
                IAssignmentOperation a when IsTainted(a.Value, tainted, known) => (StaticState.Written(a.Target), a.Value),
                IInvocationOperation i when StaticState.MutatingCall(i) is { } m
                                            && i.Arguments.FirstOrDefault(x => IsTainted(x.Value, tainted, known)) is { } arg => (m, arg.Value),
                _ => ((string?)null, (IOperation?)null),
            };
            if (member is null || value is null)
            {
                continue;
            }

            var region = WorkflowRegions.Classify(operation, context.OwningSymbol, known);
            if (region.IsWorkflow)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CallbackIdHandOff,
                    operation.Syntax.GetLocation(), member, Shorten(value.Syntax.ToString()), region.RootName + " → " + member));
            }
        }
    }

    /// <summary>An operation <see cref="IsTainted"/> can start from without a tainted symbol.</summary>
    private static bool IsCallbackSource(IOperation operation, KnownSymbols known) =>
        known.IsCallback(operation.Type)
        || operation is IPropertyReferenceOperation { Property.Name: "CallbackId" }
        || (operation is IInvocationOperation invocation && known.IsCallback(UnwrapTask(invocation.Type)));

    private static bool IsTainted(IOperation operation, HashSet<ISymbol> tainted, KnownSymbols known)
    {
        switch (operation)
        {
            case IAnonymousFunctionOperation:
                return false;
            case IPropertyReferenceOperation p when p.Property.Name == "CallbackId" && known.IsCallback(p.Property.ContainingType):
                return true;
            case IInvocationOperation i when known.IsDurableAwaitable(i.TargetMethod) || known.IsCallback(i.TargetMethod.ContainingType):
                return known.IsCallback(UnwrapTask(i.Type));
        }

        if (SymbolOf(operation) is { } symbol && tainted.Contains(symbol))
        {
            return true;
        }

        if (known.IsCallback(operation.Type))
        {
            return true;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (IsTainted(child, tainted, known))
            {
                return true;
            }
        }

        return false;
    }

    private static ITypeSymbol? UnwrapTask(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : type;

    private static ISymbol? SymbolOf(IOperation operation) => operation switch
    {
        ILocalReferenceOperation l => l.Local,
        IParameterReferenceOperation p => p.Parameter,
        IFieldReferenceOperation f => f.Field,
        IPropertyReferenceOperation p => p.Property,
        _ => null,
    };

    private static bool IsSystem(IMethodSymbol method)
    {
        var ns = (method.ReducedFrom ?? method).ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)
               || ns.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal);
    }

    /// <summary>Whether a call hands its arguments to the outside world: I/O in the BCL, unknown code, or impure helpers.</summary>
    private static bool IsSink(IMethodSymbol method, KnownSymbols known, PurityCache purity)
    {
        if (IsSystem(method))
        {
            return DeterminismRules.ClassifyMethodForHandOff(method, known);
        }

        var original = (method.ReducedFrom ?? method).OriginalDefinition;
        return known.SourceOf(original).IsEmpty || original.IsAbstract || !purity.IsPure(original);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";

    private static void AnalyzeTimeouts(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name is not ("CreateCallbackAsync" or "WaitForCallbackAsync") || !known.IsDurableOperation(method))
        {
            return;
        }

        var config = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "config");
        if (config is null)
        {
            return;
        }

        var value = config.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        var missing = config.ArgumentKind == ArgumentKind.DefaultValue
                      || value is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }
                      || value is IDefaultValueOperation
                      || (value is IObjectCreationOperation creation && !SetsTimeout(creation));
        if (missing)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CallbackWithoutTimeout,
                DurableStructureAnalyzer.NameLocation(invocation), method.Name));
        }
    }

    private static bool SetsTimeout(IObjectCreationOperation creation) =>
        creation.Initializer is { } initializer && initializer.Initializers.Any(i =>
            i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Timeout" or "HeartbeatTimeout" } });

    /// <summary>Source helpers that only compute (no I/O, no calls into unknown code): passing an id to them is not a hand-off.</summary>
    private sealed class PurityCache
    {
        private const int MaxDepth = 4;
        private readonly KnownSymbols _known;
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _pure = new(SymbolEqualityComparer.Default);

        public PurityCache(KnownSymbols known) => _known = known;

        public bool IsPure(IMethodSymbol method) => IsPure(method, MaxDepth);

        private bool IsPure(IMethodSymbol method, int depth)
        {
            if (_pure.TryGetValue(method, out var cached))
            {
                return cached;
            }

            var source = _known.SourceOf(method);
            if (depth == 0 || source.IsEmpty)
            {
                return false;
            }

            var pure = true;
            foreach (var reference in source)
            {
                var node = reference.GetSyntax();
#pragma warning disable RS1030 // The helper may live in another document; its operations decide whether it hands ids out.
                var body = _known.Compilation.GetSemanticModel(node.SyntaxTree).GetOperation(node);
#pragma warning restore RS1030
                if (body is null)
                {
                    continue;
                }

                foreach (var invocation in body.Descendants().OfType<IInvocationOperation>())
                {
                    var target = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
                    if (IsSystem(target)
                            ? DeterminismRules.ClassifyMethodForHandOff(target, _known)
                            : _known.IsDurableAwaitable(target) || _known.SourceOf(target).IsEmpty || target.IsAbstract
                              || (!SymbolEqualityComparer.Default.Equals(target, method) && !IsPure(target, depth - 1)))
                    {
                        pure = false;
                        break;
                    }
                }
            }

            if (depth == MaxDepth || !pure)
            {
                _pure.TryAdd(method, pure);
            }

            return pure;
        }
    }
}
