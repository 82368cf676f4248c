using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Generators;

/// <summary>
/// Turns <c>[DurableWorkflow]</c> and <c>[LambdaFunction]</c> classes into Lambda handlers (plus the assembly's function
/// registry, its deployment manifest and, for executables without a Main, the Lambda entry point) and <c>[Callback]</c>
/// classes into typed callback APIs. Only equatable models flow through the pipeline.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DurableWorkflowGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var workflows = context.SyntaxProvider.ForAttributeWithMetadataName(Symbols.DurableWorkflowAttribute,
                static (node, _) => node is TypeDeclarationSyntax, Parser.ParseWorkflow)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!);

        var functions = context.SyntaxProvider.ForAttributeWithMetadataName(Symbols.LambdaFunctionAttribute,
                static (node, _) => node is TypeDeclarationSyntax, Parser.ParseFunction)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!);

        // What each function's code invokes and completes, for the template's IAM: only when the deployment is being
        // computed (it binds every method body); an ordinary build or the IDE gets an empty list at no cost.
        var analysis = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => DeploymentFacts.IsEnabled(options));
        var facts = context.CompilationProvider.Combine(analysis)
            .Select(static (pair, cancellationToken) => DeploymentFacts.CollectAll(pair.Left, pair.Right, cancellationToken));

        var callbacks = context.SyntaxProvider.ForAttributeWithMetadataName(Symbols.CallbackAttribute,
                static (node, _) => node is TypeDeclarationSyntax, Parser.ParseCallback)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!);

        var contexts = context.SyntaxProvider.ForAttributeWithMetadataName(Symbols.JsonSerializableAttribute,
                static (node, _) => node is ClassDeclarationSyntax, Parser.ParseContext)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!.GlobalName)
            .Collect()
            .Select(static (names, _) => names.Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray());

        var hasUserMain = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is GlobalStatementSyntax
                                    || node is MethodDeclarationSyntax { Identifier.ValueText: "Main" } method
                                    && method.Modifiers.Any(SyntaxKind.StaticKeyword),
                static (_, _) => true)
            .Collect()
            .Select(static (found, _) => found.Length > 0);

        var compilation = context.CompilationProvider.Select(static (c, _) => new CompilationModel(
            c.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication,
            EntryPointMode(c),
            c.GetTypeByMetadataName("DurableGen.DurableFunction") is not null));

        context.RegisterSourceOutput(workflows.Combine(contexts), static (spc, pair) => Emitter.EmitWorkflow(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(callbacks.Combine(contexts), static (spc, pair) => Emitter.EmitCallback(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(functions.Combine(contexts), static (spc, pair) => Emitter.EmitFunction(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(workflows.Collect().Combine(functions.Collect()).Combine(compilation).Combine(hasUserMain),
            static (spc, input) => Emitter.EmitAssembly(spc, input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right));
        context.RegisterSourceOutput(workflows.Collect().Combine(functions.Collect()).Combine(facts).Combine(analysis),
            static (spc, input) => DeploymentManifest.Emit(spc, input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right));
    }

    /// <summary>0: automatic; 1: asked for with [assembly: DurableLambdaEntryPoint]; 2: turned off.</summary>
    private static int EntryPointMode(Compilation compilation)
    {
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == Symbols.EntryPointAttribute)
            {
                return attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is false ? 2 : 1;
            }
        }

        return 0;
    }
}
