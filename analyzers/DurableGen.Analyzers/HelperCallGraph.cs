using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>A non-deterministic call found in a helper, with the chain of helpers that leads to it.</summary>
internal sealed class TransitiveFinding
{
    public TransitiveFinding(DiagnosticDescriptor rule, ImmutableArray<string> path, string api, Location location)
    {
        Rule = rule;
        Path = path;
        Api = api;
        Location = location;
    }

    public DiagnosticDescriptor Rule { get; }

    /// <summary>The helpers from the called one down to the one that contains the call.</summary>
    public ImmutableArray<string> Path { get; }

    public string Api { get; }

    public Location Location { get; }
}

/// <summary>
/// Follows calls from workflow code into helper methods of the same compilation. Per compilation: the direct facts of
/// each helper (its own violations and the helpers it calls) are computed once from its syntax, and the findings
/// reachable from each helper (shortest chain per rule, breadth first, cycles cut) once more.
/// </summary>
internal sealed class HelperCallGraph
{
    private readonly KnownSymbols _known;
    private readonly ConcurrentDictionary<IMethodSymbol, Facts> _facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<TransitiveFinding>> _findings = new(SymbolEqualityComparer.Default);

    private readonly System.Lazy<Dictionary<IMethodSymbol, IMethodSymbol?>> _implementations;

    public HelperCallGraph(KnownSymbols known)
    {
        _known = known;
        _implementations = new System.Lazy<Dictionary<IMethodSymbol, IMethodSymbol?>>(CollectImplementations);
    }

    /// <summary>The helper a call in workflow code goes into, or null when the callee is not followed.</summary>
    public IMethodSymbol? FollowedCallee(IOperation operation)
    {
        var method = operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IPropertyReferenceOperation property => property.Property.GetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (method is null)
        {
            return null;
        }

        method = method.ReducedFrom ?? method;
        method = method.PartialImplementationPart ?? method;
        method = method.OriginalDefinition;
        if (method.IsAbstract && method.ContainingType?.TypeKind == TypeKind.Interface)
        {
            // Through an interface: followed when the compilation holds exactly one implementation of the member.
            if (!_implementations.Value.TryGetValue(method, out var single) || single is null)
            {
                return null;
            }

            method = single;
        }

        if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction || method.IsAbstract
            || _known.SourceOf(method).IsEmpty || _known.IsWorkflowRoot(method))
        {
            return null; // local functions are analysed in place; roots are analysed on their own
        }

        return method;
    }

    /// <summary>
    /// Each interface method implemented by source types of this compilation, with its implementation when there is
    /// exactly one (null when several). Computed once per compilation on first use: one walk over the source types.
    /// </summary>
    private Dictionary<IMethodSymbol, IMethodSymbol?> CollectImplementations()
    {
        var map = new Dictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default);
        var types = new Stack<INamespaceOrTypeSymbol>();
        types.Push(_known.Compilation.Assembly.GlobalNamespace);
        while (types.Count > 0)
        {
            foreach (var member in types.Pop().GetMembers())
            {
                if (member is not INamespaceOrTypeSymbol container)
                {
                    continue;
                }

                types.Push(container);
                if (member is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false } type)
                {
                    continue;
                }

                foreach (var iface in type.AllInterfaces)
                {
                    // Only the compilation's own interfaces: a BCL or DurableGen interface (ILogger, IDurableContext)
                    // with one implementation here, a test fake say, is not what workflow code calls through it.
                    if (_known.SourceOf(iface.OriginalDefinition).IsEmpty)
                    {
                        continue;
                    }

                    foreach (var ifaceMember in iface.GetMembers())
                    {
                        var key = ifaceMember switch
                        {
                            IMethodSymbol { IsAbstract: true } m => m,
                            IPropertySymbol { IsAbstract: true, GetMethod: { } getter } => getter,
                            _ => null,
                        };
                        if (key is null
                            || type.FindImplementationForInterfaceMember(ifaceMember) is not { } implementation)
                        {
                            continue;
                        }

                        var implMethod = implementation switch
                        {
                            IMethodSymbol m => m,
                            IPropertySymbol p => p.GetMethod,
                            _ => null,
                        };
                        key = key.OriginalDefinition;
                        if (implMethod is null)
                        {
                            continue;
                        }

                        implMethod = implMethod.OriginalDefinition;
                        map[key] = map.TryGetValue(key, out var existing)
                                   && !SymbolEqualityComparer.Default.Equals(existing, implMethod)
                            ? null
                            : implMethod;
                        if (map[key] is not null)
                        {
                            _viaInterface.TryAdd(implMethod, 0);
                        }
                    }
                }
            }
        }

        return map;
    }

    private readonly ConcurrentDictionary<IMethodSymbol, byte> _viaInterface = new(SymbolEqualityComparer.Default);

    /// <summary>How a helper shows in a chain; an implementation reached through its interface names its type.</summary>
    private string ChainName(IMethodSymbol method) =>
        _viaInterface.ContainsKey(method) && method.ContainingType is { } type
            ? type.Name + "." + WorkflowRegions.MemberName(method)
            : WorkflowRegions.MemberName(method);

    /// <summary>Everything non-deterministic reachable from <paramref name="helper"/>, the shortest chain per rule.</summary>
    public ImmutableArray<TransitiveFinding> FindingsOf(IMethodSymbol helper) => _findings.GetOrAdd(helper, Search);

    private ImmutableArray<TransitiveFinding> Search(IMethodSymbol start)
    {
        var found = new Dictionary<string, TransitiveFinding>();
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { start };
        var queue = new Queue<(IMethodSymbol Method, ImmutableArray<string> Path)>();
        queue.Enqueue((start, ImmutableArray.Create(ChainName(start))));
        while (queue.Count > 0)
        {
            var (method, path) = queue.Dequeue();
            var facts = _facts.GetOrAdd(method, ComputeFacts);
            foreach (var (rule, api, location) in facts.Violations)
            {
                if (!found.ContainsKey(rule.Id))
                {
                    found.Add(rule.Id, new TransitiveFinding(rule, path, api, location));
                }
            }

            foreach (var callee in facts.Callees)
            {
                if (visited.Add(callee))
                {
                    queue.Enqueue((callee, path.Add(ChainName(callee))));
                }
            }
        }

        return found.Values.OrderBy(f => f.Rule.Id, System.StringComparer.Ordinal).ToImmutableArray();
    }

    private Facts ComputeFacts(IMethodSymbol method)
    {
        var violations = new List<(DiagnosticDescriptor, string, Location)>();
        var callees = new List<IMethodSymbol>();
        foreach (var reference in _known.SourceOf(method))
        {
            var node = reference.GetSyntax();
#pragma warning disable RS1030 // Helpers live in other documents; their operations are needed to follow the call chain.
            var model = _known.Compilation.GetSemanticModel(node.SyntaxTree);
#pragma warning restore RS1030
            var body = model.GetOperation(node);
            if (body is null)
            {
                continue;
            }

            Walk(body, violations, callees);
        }

        return new Facts(violations, callees);
    }

    private void Walk(IOperation operation, List<(DiagnosticDescriptor, string, Location)> violations, List<IMethodSymbol> callees)
    {
        foreach (var child in operation.ChildOperations)
        {
            // Step bodies, submitters, checks and context-taking lambdas are not this helper's workflow code.
            var function = child switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
            if (function is not null && (WorkflowRegions.FunctionKind(function, _known) is not null
                                         || (child is IAnonymousFunctionOperation anonymous && _known.Forwarding.KindOf(anonymous) is not null)))
            {
                continue;
            }

            if (DeterminismRules.Classify(child, _known) is { } violation)
            {
                violations.Add((violation.Rule, violation.Api, child.Syntax.GetLocation()));
            }
            else if (FollowedCallee(child) is { } callee)
            {
                callees.Add(callee);
            }

            Walk(child, violations, callees);
        }
    }

    private sealed class Facts
    {
        public Facts(List<(DiagnosticDescriptor, string, Location)> violations, List<IMethodSymbol> callees)
        {
            Violations = violations;
            Callees = callees;
        }

        public List<(DiagnosticDescriptor Rule, string Api, Location Location)> Violations { get; }

        public List<IMethodSymbol> Callees { get; }
    }
}
