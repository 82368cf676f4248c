using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Generators;

/// <summary>Symbol rules shared by the generator and the serialization analyzer. Types are matched by metadata name.</summary>
internal static class Symbols
{
    public const string DurableWorkflowAttribute = "DurableGen.DurableWorkflowAttribute";
    public const string LambdaFunctionAttribute = "DurableGen.LambdaFunctionAttribute";
    public const string LambdaContext = "DurableGen.ILambdaContext";
    public const string CallbackClient = "DurableGen.IDurableCallbackClient";
    public const string ExecutionClient = "DurableGen.Client.DurableExecutionClient";
    public const string InvokeRequest = "DurableGen.Client.InvokeDurableExecutionRequest";
    public const string CallbackAttribute = "DurableGen.CallbackAttribute";
    public const string EntryPointAttribute = "DurableGen.DurableLambdaEntryPointAttribute";
    public const string DurableContext = "DurableGen.IDurableContext";
    public const string LambdaHost = "DurableGen.DurableLambdaHost";
    public const string GeneratedRegistry = "DurableGen.Generated.DurableWorkflows";
    public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";

    public const int MaxExecutionTimeout = 31_622_400;
    public const int MaxRetentionPeriodInDays = 90;

    // LambdaDeploymentAttribute's and DurableWorkflowAttribute's limits and defaults (a test keeps them equal).
    public const int MaxFunctionTimeout = 900;
    public const int DefaultFunctionTimeout = 60;
    public const int MinMemorySize = 128;
    public const int MaxMemorySize = 10_240;
    public const int DefaultMemorySize = 512;
    public const int DefaultExecutionTimeout = 86_400;

    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
        SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static readonly SymbolDisplayFormat TypeOfFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    /// <summary>The workflow method of <paramref name="type"/>, or the diagnostic that explains why there is none.</summary>
    public static IMethodSymbol? FindWorkflowMethod(INamedTypeSymbol type, string? methodName, INamedTypeSymbol? durableContext,
        out DiagnosticInfo? problem)
    {
        problem = null;
        var methods = type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
        if (methodName is { Length: > 0 })
        {
            var named = methods.Where(m => m.Name == methodName).ToList();
            if (named.Count == 0)
            {
                problem = DiagnosticInfo.Create(Descriptors.NoMethod, type.Locations.FirstOrDefault(), type.Name,
                    $" named '{methodName}'");
                return null;
            }

            var shaped = named.FirstOrDefault(m => ShapeProblem(m, durableContext) is null);
            if (shaped is not null)
            {
                return shaped;
            }

            problem = DiagnosticInfo.Create(Descriptors.WrongShape, named[0].Locations.FirstOrDefault(), named[0].Name,
                ShapeProblem(named[0], durableContext)!);
            return null;
        }

        var candidates = methods.Where(m => ShapeProblem(m, durableContext) is null).ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        if (candidates.Count > 1)
        {
            var runAsync = candidates.Where(m => m.Name == "RunAsync").ToList();
            if (runAsync.Count == 1)
            {
                return runAsync[0];
            }

            problem = DiagnosticInfo.Create(Descriptors.SeveralMethods, type.Locations.FirstOrDefault(), type.Name,
                string.Join(", ", candidates.Select(m => m.Name)));
            return null;
        }

        var near = methods.FirstOrDefault(m => m.Name == "RunAsync")
                   ?? methods.FirstOrDefault(m => m.Parameters.Any(p => IsDurableContext(p.Type, durableContext)));
        problem = near is not null
            ? DiagnosticInfo.Create(Descriptors.WrongShape, near.Locations.FirstOrDefault(), near.Name, ShapeProblem(near, durableContext)!)
            : DiagnosticInfo.Create(Descriptors.NoMethod, type.Locations.FirstOrDefault(), type.Name, "");
        return null;
    }

    /// <summary>Why <paramref name="method"/> is not a workflow method, or null when it is one.</summary>
    public static string? ShapeProblem(IMethodSymbol method, INamedTypeSymbol? durableContext)
    {
        if (method.Parameters.Length != 2)
        {
            return $"it takes {method.Parameters.Length} parameter{(method.Parameters.Length == 1 ? "" : "s")}";
        }

        if (!IsDurableContext(method.Parameters[1].Type, durableContext))
        {
            return "its second parameter is not an IDurableContext";
        }

        if (method.Parameters[0].RefKind != RefKind.None || method.Parameters[0].IsParams)
        {
            return "its input is a ref, out, in or params parameter";
        }

        if (method.IsGenericMethod)
        {
            return "it is generic";
        }

        if (!IsTask(method.ReturnType, out _))
        {
            return $"it returns {method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}";
        }

        return null;
    }

    /// <summary>The handler method of a [LambdaFunction] class, or the DG1016 diagnostic that explains why there is none.</summary>
    public static IMethodSymbol? FindHandlerMethod(INamedTypeSymbol type, string? methodName, INamedTypeSymbol? lambdaContext,
        out DiagnosticInfo? problem)
    {
        problem = null;
        var methods = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && (methodName is not { Length: > 0 } || m.Name == methodName))
            .ToList();
        var candidates = methods.Where(m => HandlerShapeProblem(m, lambdaContext) is null).ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var location = type.Locations.FirstOrDefault();
        if (candidates.Count > 1)
        {
            problem = DiagnosticInfo.Create(Descriptors.NoHandler, location, type.Name,
                $"several methods have the handler's shape ({string.Join(", ", candidates.Select(m => m.Name))}); name one with [LambdaFunction(Method = nameof(...))]");
            return null;
        }

        var near = methods.FirstOrDefault(m => m.Parameters.Any(p => IsType(p.Type, lambdaContext, LambdaContext)))
                   ?? (methodName is { Length: > 0 } ? methods.FirstOrDefault() : null);
        problem = DiagnosticInfo.Create(Descriptors.NoHandler, near?.Locations.FirstOrDefault() ?? location, type.Name,
            near is not null
                ? $"'{near.Name}' cannot be the handler: {HandlerShapeProblem(near, lambdaContext)}"
                : methodName is { Length: > 0 } ? $"it has no method named '{methodName}'" : "it has no handler method");
        return null;
    }

    /// <summary>Why <paramref name="method"/> is not a [LambdaFunction] handler, or null when it is one.</summary>
    public static string? HandlerShapeProblem(IMethodSymbol method, INamedTypeSymbol? lambdaContext)
    {
        if (method.Parameters.Length is not (2 or 3))
        {
            return $"it takes {method.Parameters.Length} parameter{(method.Parameters.Length == 1 ? "" : "s")}";
        }

        if (!IsType(method.Parameters[1].Type, lambdaContext, LambdaContext))
        {
            return "its second parameter is not an ILambdaContext";
        }

        if (method.Parameters.Length == 3 && method.Parameters[2].Type.ToDisplayString() != "System.Threading.CancellationToken")
        {
            return "its third parameter is not a CancellationToken";
        }

        if (method.Parameters[0].RefKind != RefKind.None || method.Parameters[0].IsParams)
        {
            return "its input is a ref, out, in or params parameter";
        }

        if (method.IsGenericMethod)
        {
            return "it is generic";
        }

        return IsTask(method.ReturnType, out _)
            ? null
            : $"it returns {method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}";
    }

    private static bool IsType(ITypeSymbol type, INamedTypeSymbol? known, string metadataName) =>
        known is not null ? SymbolEqualityComparer.Default.Equals(type, known) : type.ToDisplayString() == metadataName;

    public static bool IsDurableContext(ITypeSymbol type, INamedTypeSymbol? durableContext) =>
        durableContext is not null
            ? SymbolEqualityComparer.Default.Equals(type, durableContext)
            : type is INamedTypeSymbol { Name: "IDurableContext" } named && named.ContainingNamespace?.ToDisplayString() == "DurableGen";

    /// <summary>Whether <paramref name="type"/> is Task or Task&lt;T&gt; (with T in <paramref name="result"/>).</summary>
    public static bool IsTask(ITypeSymbol type, out ITypeSymbol? result)
    {
        result = null;
        if (type is INamedTypeSymbol { Name: "Task" } named
            && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            if (named.TypeArguments.Length == 1)
            {
                result = named.TypeArguments[0];
                return true;
            }

            return named.TypeArguments.Length == 0;
        }

        return false;
    }

    /// <summary>Why <paramref name="type"/> cannot be checkpointed, or null when it can.</summary>
    public static string? UnsupportedReason(ITypeSymbol type, bool mustDeserialize)
    {
        switch (type.TypeKind)
        {
            case TypeKind.Error:
                return null;
            case TypeKind.Dynamic:
                return "dynamic has no serialization contract";
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
                return "pointers cannot be serialized";
            case TypeKind.TypeParameter:
                return "an open type parameter has no serialization metadata";
            case TypeKind.Delegate:
                return "delegates cannot be serialized";
        }

        if (type.IsRefLikeType)
        {
            return "ref structs cannot be serialized";
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        if (ns == "System.Threading.Tasks" && type.Name is "Task" or "ValueTask")
        {
            return "a task is not a value; await it in the workflow and checkpoint its result";
        }

        if (ns == "DurableGen" && type.TypeKind == TypeKind.Interface)
        {
            return "DurableGen runtime objects are not data";
        }

        if (type is IArrayTypeSymbol array)
        {
            return UnsupportedReason(array.ElementType, mustDeserialize);
        }

        if (type is INamedTypeSymbol named)
        {
            foreach (var argument in named.TypeArguments)
            {
                if (UnsupportedReason(argument, mustDeserialize) is { } inner)
                {
                    return inner;
                }
            }

            if (mustDeserialize && (named.TypeKind == TypeKind.Interface || named.IsAbstract) && !named.IsGenericType
                && !named.GetAttributes().Any(a => a.AttributeClass?.Name is "JsonPolymorphicAttribute" or "JsonDerivedTypeAttribute"))
            {
                return "an interface or abstract class cannot be deserialized without [JsonDerivedType] entries";
            }
        }

        return null;
    }

    /// <summary>The type's place in source: namespace, containing types, keyword. Null when a container is not a class/struct/record.</summary>
    public static TypeTarget CreateTarget(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        var containers = new List<ContainingType>();
        for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            containers.Insert(0, new ContainingType(Keyword(parent), parent.Identifier.ValueText));
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return new TypeTarget(ns, containers.ToEquatableArray(), Keyword(declaration), type.Name,
            type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)),
            type.ToDisplayString(TypeOfFormat));
    }

    /// <summary>DG1001 and DG1005 checks for a generated-into type.</summary>
    public static void CheckTarget(INamedTypeSymbol type, TypeDeclarationSyntax declaration, string what, List<DiagnosticInfo> diagnostics)
    {
        for (TypeDeclarationSyntax? node = declaration; node is not null; node = node.Parent as TypeDeclarationSyntax)
        {
            if (!node.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.NotPartial, declaration.Identifier.GetLocation(),
                    node == declaration ? type.Name : $"{type.Name}' (its container '{node.Identifier.ValueText}')", what));
                break;
            }
        }

        string? reason = null;
        for (var t = type; t is not null && reason is null; t = t.ContainingType)
        {
            if (t.IsGenericType)
            {
                reason = t == (object)type ? "it is generic" : $"it is nested in the generic type '{t.Name}'";
            }
            else if (t.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                reason = t == (object)type ? "it is private or protected" : $"its container '{t.Name}' is private or protected";
            }
            else if (t.IsFileLocal)
            {
                reason = "it is a file-local type";
            }
        }

        if (reason is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.NotHostable, declaration.Identifier.GetLocation(), type.Name,
                reason + " (the generated registration must reach it from the assembly)"));
        }
    }

    /// <summary>
    /// Whether <paramref name="type"/> can appear in a public member's signature: it, its containers and its type
    /// arguments are all public.
    /// </summary>
    public static bool IsPublic(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsPublic(array.ElementType);
            case INamedTypeSymbol named:
                for (INamedTypeSymbol? t = named; t is not null; t = t.ContainingType)
                {
                    if (t.DeclaredAccessibility != Accessibility.Public)
                    {
                        return false;
                    }
                }

                return named.TypeArguments.All(IsPublic);
            default:
                return type.DeclaredAccessibility is Accessibility.Public or Accessibility.NotApplicable;
        }
    }

    public static bool DerivesFrom(ITypeSymbol? type, string metadataName)
    {
        for (var t = type?.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == metadataName)
            {
                return true;
            }
        }

        return false;
    }

    public static T? Named<T>(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is T value)
            {
                return value;
            }
        }

        return default;
    }

    private static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };
}
