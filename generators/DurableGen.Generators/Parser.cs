using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Generators;

/// <summary>Turns attribute matches into equatable models; no symbol leaves this class.</summary>
internal static class Parser
{
    private static readonly Regex FunctionNamePattern = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);

    public static WorkflowModel? ParseWorkflow(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var attribute = context.Attributes[0];
        var diagnostics = new List<DiagnosticInfo>();
        var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();
        Symbols.CheckTarget(type, declaration, "Lambda handler", diagnostics);

        var functionName = Symbols.Named<string>(attribute, "FunctionName") ?? type.Name;
        if (!FunctionNamePattern.IsMatch(functionName))
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange, attributeLocation, "FunctionName",
                $"'{functionName}'", "1 to 64 letters, digits, hyphens or underscores"));
        }

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

        var explicitContext = ParseContext(Symbols.Named<INamedTypeSymbol>(attribute, "JsonContext"), attributeLocation, diagnostics);

        var durableContext = context.SemanticModel.Compilation.GetTypeByMetadataName(Symbols.DurableContext);
        var method = Symbols.FindWorkflowMethod(type, Symbols.Named<string>(attribute, "Method"), durableContext, out var problem);
        if (problem is not null)
        {
            diagnostics.Add(problem);
        }

        var creation = Creation.StaticMethod;
        string input = "", output = "";
        var hasOutput = false;
        if (method is not null)
        {
            if (!method.IsStatic)
            {
                if (type.GetMembers("CreateWorkflow").OfType<IMethodSymbol>().Any(m =>
                        m.IsStatic && m.Parameters.Length == 0 && !m.IsGenericMethod
                        && SymbolEqualityComparer.Default.Equals(m.ReturnType, type)))
                {
                    creation = Creation.Factory;
                }
                else if (!type.IsAbstract && type.InstanceConstructors.Any(c => c.Parameters.Length == 0))
                {
                    creation = Creation.Constructor;
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.NotCreatable, declaration.Identifier.GetLocation(), type.Name));
                }
            }

            var inputType = method.Parameters[0].Type;
            input = inputType.ToDisplayString(Symbols.TypeFormat);
            CheckSupported(inputType, true, "the workflow input", method.Parameters[0].Locations.FirstOrDefault(), diagnostics);
            Symbols.IsTask(method.ReturnType, out var outputType);
            if (outputType is not null)
            {
                hasOutput = true;
                output = outputType.ToDisplayString(Symbols.TypeFormat);
                CheckSupported(outputType, false, "the workflow result", method.Locations.FirstOrDefault(), diagnostics);
            }
        }

        var isValid = method is not null && diagnostics.Count == 0;
        return new WorkflowModel(Symbols.CreateTarget(type, declaration), functionName, timeout, retention,
            method?.Name ?? "", creation, input, hasOutput ? output : null, explicitContext,
            LocationInfo.From(attributeLocation), isValid, diagnostics.ToEquatableArray());
    }

    public static CallbackModel? ParseCallback(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var attribute = context.Attributes[0];
        var diagnostics = new List<DiagnosticInfo>();
        var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();
        Symbols.CheckTarget(type, declaration, "callback API", diagnostics);

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
        return new CallbackModel(Symbols.CreateTarget(type, declaration), name ?? "",
            resultType?.ToDisplayString(Symbols.TypeOfFormat) ?? "object",
            Symbols.Named<int>(attribute, "TimeoutSeconds"), Symbols.Named<int>(attribute, "HeartbeatTimeoutSeconds"),
            explicitContext, diagnostics.Count == 0, diagnostics.ToEquatableArray());
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
