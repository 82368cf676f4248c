using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Generators;

/// <summary>
/// Reads what each type declaration's code does that the deployment needs to know (see <see cref="TypeFacts"/>). It
/// binds every method body of the compilation (about as much work as compiling it), so it runs only when the
/// deployment is being computed: the MSBuild property <see cref="Property"/> is true (<c>durablegen package</c>,
/// <c>run</c> and <c>serve</c>, and <c>-p:DurableGenPackage=true</c> set it), never while a developer types or
/// builds. The generator's own output is not in the compilation it reads, so members it generates (a contract's
/// <c>Complete</c>, <c>WaitAsync</c>, <c>CreateAsync</c>; a function's <c>FunctionName</c>) are recognised by the
/// attribute on the type they are called on, not by binding them.
/// </summary>
internal static class DeploymentFacts
{
    /// <summary>The MSBuild property (made compiler-visible by the package's targets) that turns the analysis on.</summary>
    public const string Property = "DurableGenDeploymentAnalysis";

    /// <summary>Whether the build asks for the analysis.</summary>
    public static bool IsEnabled(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider options) =>
        options.GlobalOptions.TryGetValue("build_property." + Property, out var value)
        && string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase);

    /// <summary>The facts of every type declaration of <paramref name="compilation"/> (none when <paramref name="enabled"/> is false).</summary>
    public static CodeFacts CollectAll(Compilation compilation, bool enabled, CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            return CodeFacts.Empty;
        }

        var facts = new List<TypeFacts>();
        var sites = new List<TypeSites>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot(cancellationToken).DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                Collect(model, declaration, facts, sites, cancellationToken);
            }
        }

        return new CodeFacts(facts.ToEquatableArray(), sites.ToEquatableArray());
    }

    private static void Collect(SemanticModel model, TypeDeclarationSyntax declaration, List<TypeFacts> facts, List<TypeSites> sites,
        CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
        {
            return;
        }

        var assembly = model.Compilation.Assembly;
        var uses = new SortedSet<string>(System.StringComparer.Ordinal);
        var bases = new SortedSet<string>(System.StringComparer.Ordinal);
        var invokes = new SortedSet<string>(System.StringComparer.Ordinal);
        var unknownInvokes = new List<LocationInfo>();
        var completed = new SortedSet<string>(System.StringComparer.Ordinal);
        var uncontracted = new List<LocationInfo>();
        var waited = new SortedSet<string>(System.StringComparer.Ordinal);
        var self = Name(type);

        foreach (var baseType in (type.BaseType is { } b ? new[] { b } : System.Array.Empty<INamedTypeSymbol>()).Concat(type.Interfaces))
        {
            if (InSource(baseType, assembly))
            {
                bases.Add(Name(baseType));
            }
        }

        // Nested types are declarations of their own; their code is theirs.
        foreach (var node in declaration.DescendantNodes(n => n == declaration || n is not BaseTypeDeclarationSyntax))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case InvocationExpressionSyntax invocation:
                    Invocation(invocation);
                    break;
                case BaseObjectCreationExpressionSyntax creation:
                    Creation(creation);
                    break;
                case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FunctionName" } left } assignment
                    when IsInvokeRequest(model.GetTypeInfo(left.Expression, cancellationToken).Type):
                    Invoke(Target(assignment.Right), assignment);
                    break;
                case SimpleNameSyntax name:
                    Use(Bind(name));
                    break;
            }
        }

        uses.Remove(self);
        var fact = new TypeFacts(self, uses.ToEquatableArray(), bases.ToEquatableArray(), invokes.ToEquatableArray(),
            completed.ToEquatableArray(), waited.ToEquatableArray());
        if (!fact.IsEmpty)
        {
            facts.Add(fact);
        }

        if (unknownInvokes.Count > 0 || uncontracted.Count > 0)
        {
            sites.Add(new TypeSites(self, unknownInvokes.ToEquatableArray(), uncontracted.ToEquatableArray()));
        }

        void Invoke(string? target, SyntaxNode site)
        {
            if (target is { Length: > 0 })
            {
                invokes.Add(target);
            }
            else if (LocationInfo.From(site.GetLocation()) is { } location)
            {
                unknownInvokes.Add(location);
            }
        }

        // A lambda passed to a generated member (ManagerApproval.WaitAsync) has no target type here, so calls in it may
        // only resolve to candidates; the candidate is still the code that runs.
        ISymbol? Bind(SyntaxNode node)
        {
            var info = model.GetSymbolInfo(node, cancellationToken);
            return info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);
        }

        void Invocation(InvocationExpressionSyntax invocation)
        {
            var symbol = Bind(invocation) as IMethodSymbol;
            if (symbol is null)
            {
                // A generated member of a [Callback] contract: Contract.Complete(...), WaitAsync(...), CreateAsync(...).
                if (invocation.Expression is MemberAccessExpressionSyntax access
                    && model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is INamedTypeSymbol contract
                    && HasAttribute(contract, Symbols.CallbackAttribute))
                {
                    switch (access.Name.Identifier.ValueText)
                    {
                        case "Complete":
                            completed.Add(Name(contract));
                            break;
                        case "WaitAsync" or "CreateAsync":
                            waited.Add(Name(contract));
                            break;
                    }
                }

                return;
            }

            var owner = symbol.ContainingType?.OriginalDefinition;
            var ownerName = owner?.ToDisplayString();
            if (symbol.Name == "InvokeAsync" && ownerName == Symbols.DurableContext && invocation.ArgumentList.Arguments.Count > 0)
            {
                var argument = invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "functionName")
                               ?? invocation.ArgumentList.Arguments[0];
                Invoke(Target(argument.Expression), invocation);
            }
            else if (symbol.Name.StartsWith("SendCallback", System.StringComparison.Ordinal)
                     && ownerName is Symbols.CallbackClient or Symbols.ExecutionClient or "DurableGen.DurableCallbackClientExtensions")
            {
                uncontracted.Add(LocationInfo.From(invocation.GetLocation())!);
            }
        }

        void Creation(BaseObjectCreationExpressionSyntax creation)
        {
            var created = model.GetTypeInfo(creation, cancellationToken).Type;
            if (created is INamedTypeSymbol named && InSource(named, assembly))
            {
                uses.Add(Name(named));
            }

            if (IsInvokeRequest(created) && creation.Initializer is { } initializer)
            {
                foreach (var assignment in initializer.Expressions.OfType<AssignmentExpressionSyntax>())
                {
                    if (assignment.Left is IdentifierNameSyntax { Identifier.ValueText: "FunctionName" })
                    {
                        Invoke(Target(assignment.Right), creation);
                    }
                }
            }
        }

        void Use(ISymbol? symbol)
        {
            // Only what runs code: methods (calls and method groups), properties, events, non-const fields. Naming a type
            // (a declaration, typeof, a constant's owner) runs none of its code.
            var owner = symbol switch
            {
                IMethodSymbol or IPropertySymbol or IEventSymbol => symbol.ContainingType,
                IFieldSymbol { IsConst: false } field => field.ContainingType,
                _ => null,
            };
            if (owner is not null && InSource(owner, assembly))
            {
                uses.Add(Name(owner));
            }
        }

        // A constant, or Function.FunctionName of a [DurableWorkflow]/[LambdaFunction] class (a generated constant).
        string? Target(ExpressionSyntax expression)
        {
            var constant = model.GetConstantValue(expression, cancellationToken);
            if (constant.HasValue)
            {
                return constant.Value as string;
            }

            if (expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FunctionName" } access
                && model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is INamedTypeSymbol function)
            {
                foreach (var attribute in function.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() is Symbols.DurableWorkflowAttribute or Symbols.LambdaFunctionAttribute)
                    {
                        return Symbols.Named<string>(attribute, "FunctionName") ?? function.Name;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>The name a type goes by in the facts, the same as <see cref="TypeTarget.GlobalName"/>.</summary>
    public static string Name(INamedTypeSymbol type) => type.OriginalDefinition.ToDisplayString(Symbols.TypeOfFormat);

    private static bool InSource(INamedTypeSymbol type, IAssemblySymbol assembly) =>
        SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, assembly) && type.TypeKind != TypeKind.Error;

    private static bool IsInvokeRequest(ITypeSymbol? type) => type?.ToDisplayString() == Symbols.InvokeRequest;

    private static bool HasAttribute(INamedTypeSymbol type, string metadataName) =>
        type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);
}
