using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Analyzers.CodeFixes;

/// <summary>
/// The JsonSerializerContext a new step's result must be listed in, when it is not: the context named by the workflow's
/// <c>JsonContext</c>, else the assembly's only context (the generator's rule). Without it, wrapping <c>Guid.NewGuid()</c>
/// in a step would trade DG2002 for DG1009.
/// </summary>
internal static class StepResultContext
{
    /// <summary>(context metadata name, typeof text) to add, or null when there is no context or the type is already listed.</summary>
    public static (string Context, string Type)? Missing(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        var type = ResultType(expression, model, cancellationToken);
        if (type is null || type.SpecialType == SpecialType.System_Void || type.TypeKind is TypeKind.Error or TypeKind.TypeParameter)
        {
            return null;
        }

        var context = Context(expression, model, cancellationToken);
        if (context is null)
        {
            return null;
        }

        // Only the context's own [JsonSerializable] list is looked at: a type also reachable through a listed type's
        // properties gets a redundant (harmless) entry.
        var listed = context.GetAttributes().Any(a => a.AttributeClass?.Name == "JsonSerializableAttribute"
            && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is ITypeSymbol t
            && SymbolEqualityComparer.Default.Equals(t.WithNullableAnnotation(NullableAnnotation.NotAnnotated),
                type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)));
        return listed
            ? null
            : (MetadataName(context), type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
    }

    private static ITypeSymbol? ResultType(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        if (expression.Parent is AwaitExpressionSyntax awaited)
        {
            return model.GetTypeInfo(awaited, cancellationToken).Type;
        }

        var type = model.GetTypeInfo(expression, cancellationToken).Type;
        if (FixHelpers.IsTaskType(type))
        {
            return type is INamedTypeSymbol { TypeArguments.Length: 1 } task ? task.TypeArguments[0] : null;
        }

        return type;
    }

    private static INamedTypeSymbol? Context(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var declaration = node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        for (var type = declaration is null ? null : model.GetDeclaredSymbol(declaration, cancellationToken); type is not null; type = type.ContainingType)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.Name is "DurableWorkflowAttribute" or "LambdaFunctionAttribute"
                    && attribute.NamedArguments.FirstOrDefault(a => a.Key == "JsonContext").Value.Value is INamedTypeSymbol named)
                {
                    return named;
                }
            }
        }

        var contexts = new System.Collections.Generic.List<INamedTypeSymbol>();
        Collect(model.Compilation.Assembly.GlobalNamespace, contexts);
        return contexts.Count == 1 ? contexts[0] : null;
    }

    private static void Collect(INamespaceOrTypeSymbol container, System.Collections.Generic.List<INamedTypeSymbol> found)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                Collect(ns, found);
            }
            else if (member is INamedTypeSymbol type)
            {
                if (!type.IsAbstract && !type.IsGenericType && IsContext(type))
                {
                    found.Add(type);
                }

                Collect(type, found);
            }
        }
    }

    private static bool IsContext(INamedTypeSymbol type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == "System.Text.Json.Serialization.JsonSerializerContext")
            {
                return true;
            }
        }

        return false;
    }

    private static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            name = container.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }
}
