using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Generators;

/// <summary>
/// Turns attribute matches into equatable models; no symbol leaves this class, and no source position goes into a model
/// a file is generated from (positions go with the diagnostics, see <see cref="Parsed{TModel}"/>).
/// </summary>
internal static class Parser
{
    private static readonly Regex FunctionNamePattern = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);
    private static readonly Regex FunctionArnPattern = new("^arn:[a-z0-9-]+:lambda:[a-z0-9-]*:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$.-]{1,128})?$",
        RegexOptions.CultureInvariant);
    private static readonly Regex EnvironmentNamePattern = new("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public static Parsed<WorkflowModel>? ParseWorkflow(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (Declared.Read(context, cancellationToken) is not { } declared)
        {
            return null;
        }

        var (type, declaration, attribute, attributeLocation, diagnostics) =
            (declared.Type, declared.Declaration, declared.Attribute, declared.Location, declared.Diagnostics);
        var (functionName, deployment, explicitContext) = (declared.FunctionName, declared.Deployment, declared.ExplicitContext);
        var timeout = Symbols.Named<int>(attribute, "ExecutionTimeout");
        if (timeout < 0 || timeout > Symbols.MaxExecutionTimeout)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, attributeLocation, "ExecutionTimeout",
                timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "1 to 31,622,400 seconds (366 days), or 0 for the service default"));
        }

        var retention = Symbols.Named<int>(attribute, "RetentionPeriodInDays");
        if (retention < 0 || retention > Symbols.MaxRetentionPeriodInDays)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, attributeLocation, "RetentionPeriodInDays",
                retention.ToString(System.Globalization.CultureInfo.InvariantCulture), "1 to 90 days, or 0 for the service default"));
        }

        var durableContext = context.SemanticModel.Compilation.GetTypeByMetadataName(Symbols.DurableContext);
        var method = Symbols.FindWorkflowMethod(type, Symbols.Named<string>(attribute, "Method"), durableContext, out var problem);
        if (problem is not null)
        {
            diagnostics.Add(problem);
        }

        var creation = Creation.StaticMethod;
        string input = "", output = "";
        var hasOutput = false;
        var typesArePublic = true;
        if (method is not null)
        {
            creation = ParseCreation(type, method, declaration, "CreateWorkflow", "workflow", diagnostics);

            var inputType = method.Parameters[0].Type;
            typesArePublic = Symbols.IsPublic(inputType);
            input = inputType.ToDisplayString(Symbols.TypeFormat);
            CheckSupported(inputType, true, "the workflow input", method.Parameters[0].Locations.FirstOrDefault(), diagnostics);
            Symbols.IsTask(method.ReturnType, out var outputType);
            if (outputType is not null)
            {
                hasOutput = true;
                typesArePublic &= Symbols.IsPublic(outputType);
                output = outputType.ToDisplayString(Symbols.TypeFormat);
                CheckSupported(outputType, false, "the workflow result", method.Locations.FirstOrDefault(), diagnostics);
            }
        }

        var isValid = method is not null && diagnostics.Count == 0;
        return new Parsed<WorkflowModel>(new WorkflowModel(Symbols.CreateTarget(type, declaration), functionName, timeout, retention,
                method?.Name ?? "", creation, input, hasOutput ? output : null, typesArePublic, explicitContext, deployment, isValid),
            LocationInfo.From(attributeLocation), diagnostics.ToEquatableArray());
    }

    public static Parsed<FunctionModel>? ParseFunction(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (Declared.Read(context, cancellationToken) is not { } declared)
        {
            return null;
        }

        var (type, declaration, attribute, attributeLocation, diagnostics) =
            (declared.Type, declared.Declaration, declared.Attribute, declared.Location, declared.Diagnostics);
        var (functionName, deployment, explicitContext) = (declared.FunctionName, declared.Deployment, declared.ExplicitContext);
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Symbols.DurableWorkflowAttribute))
        {
            // The workflow is generated; generating the plain function into the same class would clash with it.
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.BothKinds, attributeLocation, type.Name));
        }

        var compilation = context.SemanticModel.Compilation;
        var method = Symbols.FindHandlerMethod(type, Symbols.Named<string>(attribute, "Method"),
            compilation.GetTypeByMetadataName(Symbols.LambdaContext), out var problem);
        if (problem is not null)
        {
            diagnostics.Add(problem);
        }

        var creation = Creation.StaticMethod;
        string input = "";
        string? output = null;
        if (method is not null)
        {
            creation = ParseCreation(type, method, declaration, "CreateFunction", "handler", diagnostics);
            var inputType = method.Parameters[0].Type;
            input = inputType.ToDisplayString(Symbols.TypeFormat);
            CheckSupported(inputType, true, "the function's input", method.Parameters[0].Locations.FirstOrDefault(), diagnostics);
            Symbols.IsTask(method.ReturnType, out var outputType);
            if (outputType is not null)
            {
                output = outputType.ToDisplayString(Symbols.TypeFormat);
                CheckSupported(outputType, false, "the function's result", method.Locations.FirstOrDefault(), diagnostics);
            }
        }

        return new Parsed<FunctionModel>(new FunctionModel(Symbols.CreateTarget(type, declaration), functionName, method?.Name ?? "",
                creation, input, output, method?.Parameters.Length == 3, explicitContext, deployment,
                method is not null && diagnostics.Count == 0),
            LocationInfo.From(attributeLocation), diagnostics.ToEquatableArray());
    }

    public static Parsed<CallbackModel>? ParseCallback(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (Attributed.Read(context, "callback API", cancellationToken) is not var (type, declaration, attribute, attributeLocation, diagnostics))
        {
            return null;
        }

        var name = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
        var resultType = attribute.ConstructorArguments.Length > 1 ? attribute.ConstructorArguments[1].Value as ITypeSymbol : null;
        if (string.IsNullOrEmpty(name))
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, attributeLocation, "The callback name", "empty",
                "a non-empty operation name"));
        }

        foreach (var property in new[] { "TimeoutSeconds", "HeartbeatTimeoutSeconds" })
        {
            var value = Symbols.Named<int>(attribute, property);
            if (value < 0 || value > Symbols.MaxExecutionTimeout)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, attributeLocation, property,
                    value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "0 (none) or 1 to 31,622,400 seconds"));
            }
        }

        if (resultType is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnsupportedType, attributeLocation, "(missing)",
                "a callback result", "the attribute needs the result type"));
        }
        else
        {
            CheckSupported(resultType, true, "a callback result", attributeLocation, diagnostics);
        }

        var explicitContext = ParseContext(Symbols.Named<INamedTypeSymbol>(attribute, "JsonContext"), attributeLocation, diagnostics);
        return new Parsed<CallbackModel>(new CallbackModel(Symbols.CreateTarget(type, declaration), name ?? "",
                resultType?.ToDisplayString(Symbols.TypeOfFormat) ?? "object",
                Symbols.Named<int>(attribute, "TimeoutSeconds"), Symbols.Named<int>(attribute, "HeartbeatTimeoutSeconds"),
                explicitContext, diagnostics.Count == 0),
            LocationInfo.From(attributeLocation), diagnostics.ToEquatableArray());
    }

    public static ContextModel? ParseContext(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is INamedTypeSymbol { IsAbstract: false, IsGenericType: false } type
        && Symbols.DerivesFrom(type, Symbols.JsonSerializerContext)
            ? new ContextModel(type.ToDisplayString(Symbols.TypeOfFormat))
            : null;

    private static string? ParseContext(INamedTypeSymbol? contextType, Location? location, List<DiagnosticInfo> diagnostics)
    {
        if (contextType is null)
        {
            return null;
        }

        if (contextType.IsAbstract || contextType.IsGenericType || !Symbols.DerivesFrom(contextType, Symbols.JsonSerializerContext))
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.BadContext, location,
                $"JsonContext = typeof({contextType.Name}) is not a concrete JsonSerializerContext"));
            return null;
        }

        return contextType.ToDisplayString(Symbols.TypeOfFormat);
    }

    /// <summary>What a [DurableWorkflow] and a [LambdaFunction] read alike: the class, the attribute, the function name,
    /// the deployment settings and the serializer context, with the diagnostics found so far.</summary>
    private sealed record Declared(INamedTypeSymbol Type, TypeDeclarationSyntax Declaration, AttributeData Attribute,
        Location? Location, List<DiagnosticInfo> Diagnostics, string FunctionName, DeploymentModel Deployment, string? ExplicitContext)
    {
        public static Declared? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            Attributed.Read(context, "Lambda handler", cancellationToken) is var (type, declaration, attribute, location, diagnostics)
                ? new Declared(type, declaration, attribute, location, diagnostics,
                    ParseFunctionName(attribute, type, location, diagnostics), ParseDeployment(attribute, location, diagnostics),
                    ParseContext(Symbols.Named<INamedTypeSymbol>(attribute, "JsonContext"), location, diagnostics))
                : null;
    }

    /// <summary>An attributed partial class the generator writes into, checked for DG1001 and DG1005.</summary>
    private readonly record struct Attributed(INamedTypeSymbol Type, TypeDeclarationSyntax Declaration, AttributeData Attribute,
        Location? Location, List<DiagnosticInfo> Diagnostics)
    {
        public static Attributed? Read(GeneratorAttributeSyntaxContext context, string what, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var attribute = context.Attributes[0];
            var diagnostics = new List<DiagnosticInfo>();
            Symbols.CheckTarget(type, declaration, what, diagnostics);
            return new Attributed(type, declaration, attribute,
                attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation(), diagnostics);
        }
    }

    /// <summary>The function name (default: the class name), checked against Lambda's pattern.</summary>
    private static string ParseFunctionName(AttributeData attribute, INamedTypeSymbol type, Location? location,
        List<DiagnosticInfo> diagnostics)
    {
        var functionName = Symbols.Named<string>(attribute, "FunctionName") ?? type.Name;
        if (!FunctionNamePattern.IsMatch(functionName))
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "FunctionName",
                $"'{functionName}'", "1 to 64 letters, digits, hyphens or underscores"));
        }

        return functionName;
    }

    /// <summary>How the handler gets an instance: static method, <c>static T {factory}()</c>, or a parameterless constructor.</summary>
    private static Creation ParseCreation(INamedTypeSymbol type, IMethodSymbol method, TypeDeclarationSyntax declaration,
        string factory, string what, List<DiagnosticInfo> diagnostics)
    {
        if (method.IsStatic)
        {
            return Creation.StaticMethod;
        }

        if (type.GetMembers(factory).OfType<IMethodSymbol>().Any(m =>
                m.IsStatic && m.Parameters.Length == 0 && !m.IsGenericMethod
                && SymbolEqualityComparer.Default.Equals(m.ReturnType, type)))
        {
            return Creation.Factory;
        }

        if (!type.IsAbstract && type.InstanceConstructors.Any(c => c.Parameters.Length == 0))
        {
            return Creation.Constructor;
        }

        diagnostics.Add(DiagnosticInfo.Create(Descriptors.NotCreatable, declaration.Identifier.GetLocation(), type.Name, what, factory));
        return Creation.Constructor;
    }

    /// <summary>The deployment settings of a [DurableWorkflow] or [LambdaFunction] attribute, checked, defaults applied.</summary>
    private static DeploymentModel ParseDeployment(AttributeData attribute, Location? location, List<DiagnosticInfo> diagnostics)
    {
        var timeout = Symbols.Named<int>(attribute, "FunctionTimeout");
        if (timeout < 0 || timeout > Symbols.MaxFunctionTimeout)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "FunctionTimeout", Text(timeout),
                "1 to 900 seconds, or 0 for the default (60)"));
        }

        var memory = Symbols.Named<int>(attribute, "MemorySize");
        if (memory != 0 && (memory < Symbols.MinMemorySize || memory > Symbols.MaxMemorySize))
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "MemorySize", Text(memory),
                "128 to 10,240 MB, or 0 for the default (512)"));
        }

        var reserved = Symbols.Named<int>(attribute, "ReservedConcurrency");
        if (reserved < 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "ReservedConcurrency", Text(reserved),
                "a positive number, or 0 to leave the function unreserved"));
        }

        var architecture = Symbols.Named<int>(attribute, "Architecture") switch
        {
            0 => "x86_64",
            1 => "arm64",
            var other => Invalid(other),
        };

        var environment = new SortedDictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var entry in Strings(attribute, "Environment"))
        {
            var equals = entry.IndexOf('=');
            var name = equals < 0 ? entry : entry.Substring(0, equals);
            if (equals < 0 || !EnvironmentNamePattern.IsMatch(name) || ReservedEnvironment(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "Environment entry", $"'{entry}'",
                    "NAME=value with a NAME of letters, digits and underscores that starts with a letter and is not reserved by Lambda (AWS_*, LAMBDA_*) or DurableGen (DURABLEGEN_*)"));
            }
            else if (environment.ContainsKey(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "Environment entry", $"'{entry}'",
                    $"one value per name, and {name} is set twice"));
            }
            else
            {
                environment[name] = entry.Substring(equals + 1);
            }
        }

        var description = Symbols.Named<string>(attribute, "Description");
        if (description is { Length: > 256 })
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "Description",
                $"{Text(description.Length)} characters long", "at most 256 characters"));
        }

        return new DeploymentModel(timeout == 0 ? Symbols.DefaultFunctionTimeout : timeout,
            memory == 0 ? Symbols.DefaultMemorySize : memory, architecture,
            environment.Select(p => p.Key + "=" + p.Value).ToEquatableArray(), reserved,
            description, Targets("Invokes"), Targets("CompletesCallbacksOf"));

        string Invalid(int value)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, "Architecture", Text(value),
                "LambdaArchitecture.X86_64 or LambdaArchitecture.Arm64"));
            return "x86_64";
        }

        EquatableArray<string> Targets(string property)
        {
            var targets = new SortedSet<string>(System.StringComparer.Ordinal);
            foreach (var target in Strings(attribute, property))
            {
                if (FunctionNamePattern.IsMatch(target) || FunctionArnPattern.IsMatch(target))
                {
                    targets.Add(target);
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, location, property + " entry", $"'{target}'",
                        "a function name (1 to 64 letters, digits, hyphens or underscores) or a function ARN"));
                }
            }

            return targets.ToEquatableArray();
        }
    }

    private static IEnumerable<string> Strings(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Kind == TypedConstantKind.Array && !pair.Value.IsNull)
            {
                foreach (var item in pair.Value.Values)
                {
                    yield return item.Value as string ?? "";
                }
            }
        }
    }

    private static bool ReservedEnvironment(string name) =>
        name.StartsWith("AWS_", System.StringComparison.Ordinal) || name.StartsWith("LAMBDA_", System.StringComparison.Ordinal)
        || name.StartsWith("DURABLEGEN_", System.StringComparison.Ordinal);

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void CheckSupported(ITypeSymbol type, bool mustDeserialize, string role, Location? location,
        List<DiagnosticInfo> diagnostics)
    {
        if (Symbols.UnsupportedReason(type, mustDeserialize) is { } reason)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnsupportedType, location,
                type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat), role, reason));
        }
    }
}
