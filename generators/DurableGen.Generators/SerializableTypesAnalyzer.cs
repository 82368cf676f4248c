using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Generators;

/// <summary>
/// Checks at compile time that every checkpointed type — workflow input and output, step, child-context, callback,
/// invoke, map, parallel and condition types, [Callback] results, and a [LambdaFunction]'s event and result — has metadata in the JsonSerializerContext the
/// generated code registers (DG1009, with a code fix), and that AOT or trimmed projects have a context at all (DG1010).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SerializableTypesAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the context's metadata name.</summary>
    public const string ContextProperty = "ContextType";

    /// <summary>Diagnostic property: the missing type, as written in typeof(...).</summary>
    public const string TypeProperty = "MissingType";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.MissingFromContext, Descriptors.NoContextForAot, Descriptors.MissingFromContextAot,
            Descriptors.NotData);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(Start);
    }

    private static void Start(CompilationStartAnalysisContext start)
    {
        var compilation = start.Compilation;
        var durableContext = compilation.GetTypeByMetadataName(Symbols.DurableContext);
        var workflowAttribute = compilation.GetTypeByMetadataName(Symbols.DurableWorkflowAttribute);
        var callbackAttribute = compilation.GetTypeByMetadataName(Symbols.CallbackAttribute);
        var functionAttribute = compilation.GetTypeByMetadataName(Symbols.LambdaFunctionAttribute);
        var lambdaContext = compilation.GetTypeByMetadataName(Symbols.LambdaContext);
        var serializable = compilation.GetTypeByMetadataName(Symbols.JsonSerializableAttribute);
        if (durableContext is null || workflowAttribute is null)
        {
            return;
        }

        var contexts = new List<INamedTypeSymbol>();
        CollectContexts(compilation.Assembly.GlobalNamespace, contexts);
        var closures = new Dictionary<INamedTypeSymbol, HashSet<ITypeSymbol>>(SymbolEqualityComparer.Default);
        foreach (var c in contexts)
        {
            closures[c] = Closure(c, serializable);
        }

        var defaultContext = contexts.Count == 1 ? contexts[0] : null;
        start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.EnableAotAnalyzer", out var aot);
        start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.EnableTrimAnalyzer", out var trim);
        start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.PublishAot", out var publishAot);
        var needsMetadata = IsTrue(aot) || IsTrue(trim) || IsTrue(publishAot);

        // Under PublishAot a missing type is not a risk but a certain run-time failure of the published binary
        // (DurableSerializationException, docs/guides/decisions.md), so it is an error there and a warning elsewhere.
        var missing = IsTrue(publishAot) ? Descriptors.MissingFromContextAot : Descriptors.MissingFromContext;

        INamedTypeSymbol? ContextFor(ISymbol? symbol, AttributeData? own)
        {
            if (own is not null && Symbols.Named<INamedTypeSymbol>(own, "JsonContext") is { } explicitContext)
            {
                return explicitContext;
            }

            for (var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType; type is not null; type = type.ContainingType)
            {
                var attribute = Attribute(type, workflowAttribute) ?? Attribute(type, functionAttribute) ?? Attribute(type, callbackAttribute);
                if (attribute is not null && Symbols.Named<INamedTypeSymbol>(attribute, "JsonContext") is { } fromType)
                {
                    return fromType;
                }
            }

            return defaultContext;
        }

        void Check(System.Action<Diagnostic> report, INamedTypeSymbol? context, ITypeSymbol type, string role, Location location)
        {
            if (type.TypeKind is not (TypeKind.TypeParameter or TypeKind.Error) && NotDataReason(type, compilation) is { } notData)
            {
                report(Diagnostic.Create(Descriptors.NotData, location,
                    type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    role, notData));
                return;
            }

            if (context is null || type.TypeKind is TypeKind.TypeParameter or TypeKind.Error
                || !closures.TryGetValue(context, out var closure) || Contains(closure, type)
                || Symbols.UnsupportedReason(type, false) is not null)
            {
                return;
            }

            var typeName = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(Symbols.TypeOfFormat);
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(ContextProperty, MetadataName(context))
                .Add(TypeProperty, typeName);
            report(Diagnostic.Create(missing, location, properties,
                type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                role, context.Name));
        }

        start.RegisterSymbolAction(symbolContext =>
        {
            var type = (INamedTypeSymbol)symbolContext.Symbol;
            var workflow = Attribute(type, workflowAttribute);
            var function = workflow is null ? Attribute(type, functionAttribute) : null;
            if ((workflow ?? function) is { } declared)
            {
                var context = ContextFor(type, declared);
                var location = type.Locations.FirstOrDefault() ?? Location.None;
                if (context is null && contexts.Count == 0 && needsMetadata)
                {
                    symbolContext.ReportDiagnostic(Diagnostic.Create(Descriptors.NoContextForAot, location, type.Name));
                }

                var (method, kind) = workflow is not null
                    ? (Symbols.FindWorkflowMethod(type, Symbols.Named<string>(declared, "Method"), durableContext, out _), "workflow")
                    : (Symbols.FindHandlerMethod(type, Symbols.Named<string>(declared, "Method"), lambdaContext, out _), "function");
                if (method is not null)
                {
                    Check(symbolContext.ReportDiagnostic, context, method.Parameters[0].Type, kind + " input",
                        method.Parameters[0].Locations.FirstOrDefault() ?? location);
                    if (Symbols.IsTask(method.ReturnType, out var output) && output is not null)
                    {
                        Check(symbolContext.ReportDiagnostic, context, output, kind + " result",
                            method.Locations.FirstOrDefault() ?? location);
                    }
                }
            }

            if (Attribute(type, callbackAttribute) is { } callback && callback.ConstructorArguments.Length > 1
                && callback.ConstructorArguments[1].Value is ITypeSymbol result)
            {
                var location = callback.ApplicationSyntaxReference?.GetSyntax(symbolContext.CancellationToken).GetLocation()
                               ?? type.Locations.FirstOrDefault() ?? Location.None;
                Check(symbolContext.ReportDiagnostic, ContextFor(type, callback), result, "callback result", location);
            }
        }, SymbolKind.NamedType);

        start.RegisterOperationAction(operationContext =>
        {
            var invocation = (IInvocationOperation)operationContext.Operation;
            var method = invocation.TargetMethod;
            if (!method.IsGenericMethod || !SymbolEqualityComparer.Default.Equals(method.ContainingType, durableContext))
            {
                return;
            }

            var roles = method.Name switch
            {
                "StepAsync" => new[] { "step result" },
                "RunInChildContextAsync" => new[] { "child context result" },
                "CreateCallbackAsync" or "WaitForCallbackAsync" => new[] { "callback result" },
                "InvokeAsync" => new[] { "invoke payload", "invoke result" },
                "WaitForConditionAsync" => new[] { "condition state" },
                "ParallelAsync" => new[] { "parallel branch result" },
                "MapAsync" => new[] { "map item", "map result" },
                _ => System.Array.Empty<string>(),
            };
            var location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
                ? member.Name.GetLocation()
                : invocation.Syntax.GetLocation();
            var context = ContextFor(operationContext.ContainingSymbol, null);
            for (var i = 0; i < roles.Length && i < method.TypeArguments.Length; i++)
            {
                Check(operationContext.ReportDiagnostic, context, method.TypeArguments[i], roles[i], location);
            }
        }, OperationKind.Invocation);
    }

    /// <summary>
    /// Why <paramref name="type"/> is a handle rather than a value (null when it is data): its JSON would be empty or
    /// throw, and replay would hand back an object that no longer holds what the step had.
    /// </summary>
    internal static string? NotDataReason(ITypeSymbol type, Compilation compilation)
    {
        if (type.TypeKind == TypeKind.Delegate)
        {
            return "a delegate is code, not data";
        }

        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (Is(named, "System.Threading.Tasks.Task") || Is(named, "System.Threading.Tasks.ValueTask")
            || Is(named, "System.Threading.Tasks.Task`1") || Is(named, "System.Threading.Tasks.ValueTask`1"))
        {
            return "a task is a pending operation; await it in the step and return its result";
        }

        if (Is(named, "System.Threading.CancellationToken"))
        {
            return "a cancellation token belongs to the invocation that created it";
        }

        for (var t = named; t is not null; t = t.BaseType)
        {
            if (Is(t, "System.IO.Stream"))
            {
                return "a stream is a handle to bytes, not the bytes";
            }

            if (Is(t, "System.Net.Http.HttpResponseMessage") || Is(t, "System.Net.Http.HttpRequestMessage")
                || Is(t, "System.Net.Http.HttpContent"))
            {
                return "an HTTP message holds a connection and an unread content stream";
            }
        }

        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        var asyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
        if (named.TypeKind is TypeKind.Class or TypeKind.Interface or TypeKind.Struct
            && (SymbolEqualityComparer.Default.Equals(named, disposable) || SymbolEqualityComparer.Default.Equals(named, asyncDisposable)
                || named.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, disposable)
                                                || SymbolEqualityComparer.Default.Equals(i, asyncDisposable))))
        {
            return "it holds a resource to dispose (IDisposable), which does not survive serialization";
        }

        return null;

        static bool Is(INamedTypeSymbol t, string metadataName) =>
            t.OriginalDefinition.ContainingNamespace is { } ns
            && ns.ToDisplayString() + "." + t.OriginalDefinition.MetadataName == metadataName;
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

    private static bool IsTrue(string? value) => string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase);

    private static AttributeData? Attribute(INamedTypeSymbol type, INamedTypeSymbol? attributeType) =>
        attributeType is null
            ? null
            : type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));

    private static void CollectContexts(INamespaceSymbol ns, List<INamedTypeSymbol> found)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child)
            {
                CollectContexts(child, found);
            }
            else if (member is INamedTypeSymbol type)
            {
                CollectContexts(type, found);
            }
        }
    }

    private static void CollectContexts(INamedTypeSymbol type, List<INamedTypeSymbol> found)
    {
        if (!type.IsAbstract && !type.IsGenericType && Symbols.DerivesFrom(type, Symbols.JsonSerializerContext))
        {
            found.Add(type);
        }

        foreach (var nested in type.GetTypeMembers())
        {
            CollectContexts(nested, found);
        }
    }

    private static bool Contains(HashSet<ITypeSymbol> closure, ITypeSymbol type) =>
        closure.Contains(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));

    /// <summary>
    /// The types a context has metadata for: its [JsonSerializable] types and, as System.Text.Json's generator does,
    /// every type reachable from them through public properties and fields, array elements, type arguments and
    /// [JsonDerivedType] entries.
    /// </summary>
    private static HashSet<ITypeSymbol> Closure(INamedTypeSymbol context, INamedTypeSymbol? serializable)
    {
        var closure = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<ITypeSymbol>();
        foreach (var attribute in context.GetAttributes())
        {
            if (serializable is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, serializable)
                && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is ITypeSymbol declared)
            {
                pending.Push(declared);
            }
        }

        while (pending.Count > 0)
        {
            var type = pending.Pop().WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            if (!closure.Add(type))
            {
                continue;
            }

            if (type is IArrayTypeSymbol array)
            {
                pending.Push(array.ElementType);
                continue;
            }

            if (type is not INamedTypeSymbol named)
            {
                continue;
            }

            foreach (var argument in named.TypeArguments)
            {
                pending.Push(argument);
            }

            foreach (var attribute in named.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "JsonDerivedTypeAttribute" && attribute.ConstructorArguments.Length > 0
                    && attribute.ConstructorArguments[0].Value is ITypeSymbol derived)
                {
                    pending.Push(derived);
                }
            }

            var ns = named.ContainingNamespace?.ToDisplayString() ?? "";
            if (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal))
            {
                continue;
            }

            for (var t = named; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
            {
                foreach (var member in t.GetMembers())
                {
                    if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                    {
                        continue;
                    }

                    if (member is IPropertySymbol { IsIndexer: false } property)
                    {
                        pending.Push(property.Type);
                    }
                    else if (member is IFieldSymbol { IsImplicitlyDeclared: false } field)
                    {
                        pending.Push(field.Type);
                    }
                }
            }
        }

        return closure;
    }
}
