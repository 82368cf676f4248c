using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Generators;

/// <summary>
/// Turns <c>[DurableWorkflow]</c> and <c>[LambdaFunction]</c> classes into Lambda handlers (plus the assembly's function
/// registry, its deployment manifest and, for executables without a Main, the Lambda entry point) and <c>[Callback]</c>
/// classes into typed callback APIs. Only equatable models flow through the pipeline, and the models files are written
/// from hold no source positions: each parse gives a model and, beside it, the diagnostics and the attribute's location;
/// files come from the models alone and diagnostics from steps of their own (the System.Text.Json generator's split), so
/// an edit that only moves code (a blank line, a comment) re-runs the reporting, at the new positions, and no emission.
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
            .Select(static (m, _) => m!)
            .WithTrackingName(StepNames.Workflows);
        var workflowModels = workflows.Select(static (p, _) => p.Model).WithTrackingName(StepNames.WorkflowModels);

        var functions = context.SyntaxProvider.ForAttributeWithMetadataName(Symbols.LambdaFunctionAttribute,
                static (node, _) => node is TypeDeclarationSyntax, Parser.ParseFunction)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(StepNames.Functions);
        var functionModels = functions.Select(static (p, _) => p.Model).WithTrackingName(StepNames.FunctionModels);

        var callbacks = context.SyntaxProvider.ForAttributeWithMetadataName(Symbols.CallbackAttribute,
                static (node, _) => node is TypeDeclarationSyntax, Parser.ParseCallback)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(StepNames.Callbacks);
        var callbackModels = callbacks.Select(static (p, _) => p.Model).WithTrackingName(StepNames.CallbackModels);

        // What each function's code invokes and completes, for the template's IAM: only when the deployment is being
        // computed (it binds every method body); an ordinary build or the IDE gets an empty list at no cost. The sites
        // (with positions) are for diagnostics only; the manifest is written from the rest.
        var analysis = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => DeploymentFacts.IsEnabled(options));
        var facts = context.CompilationProvider.Combine(analysis)
            .Select(static (pair, cancellationToken) => DeploymentFacts.CollectAll(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(StepNames.DeploymentFacts);
        var typeFacts = facts.Select(static (f, _) => f.Types).WithTrackingName(StepNames.TypeFacts);

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

        var allWorkflows = workflowModels.Collect();
        var allFunctions = functionModels.Collect();

        // Files: from location-free models only.
        context.RegisterSourceOutput(workflowModels.Combine(contexts).WithTrackingName(StepNames.WorkflowSource),
            static (spc, pair) => Emitter.EmitWorkflow(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(callbackModels.Combine(contexts).WithTrackingName(StepNames.CallbackSource),
            static (spc, pair) => Emitter.EmitCallback(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(functionModels.Combine(contexts).WithTrackingName(StepNames.FunctionSource),
            static (spc, pair) => Emitter.EmitFunction(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(allWorkflows.Combine(allFunctions).Combine(compilation).Combine(hasUserMain)
                .WithTrackingName(StepNames.AssemblySource),
            static (spc, input) => Emitter.EmitAssembly(spc, input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right));
        context.RegisterSourceOutput(allWorkflows.Combine(allFunctions).Combine(typeFacts).Combine(analysis)
                .WithTrackingName(StepNames.ManifestSource),
            static (spc, input) => DeploymentManifest.Emit(spc, input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right));

        // Diagnostics: with their positions, from steps that write no file.
        context.RegisterSourceOutput(workflows.Combine(contexts).WithTrackingName(StepNames.WorkflowDiagnostics),
            static (spc, pair) => Reporter.ReportClass(spc, pair.Left, pair.Left.Model.ExplicitContext, pair.Left.Model.Target.Name,
                pair.Left.AttributeLocation, pair.Right));
        context.RegisterSourceOutput(callbacks.Combine(contexts).WithTrackingName(StepNames.CallbackDiagnostics),
            static (spc, pair) => Reporter.ReportClass(spc, pair.Left, pair.Left.Model.ExplicitContext, pair.Left.Model.Target.Name,
                null, pair.Right));
        context.RegisterSourceOutput(functions.Combine(contexts).WithTrackingName(StepNames.FunctionDiagnostics),
            static (spc, pair) => Reporter.ReportClass(spc, pair.Left, pair.Left.Model.ExplicitContext, pair.Left.Model.Target.Name,
                pair.Left.AttributeLocation, pair.Right));
        context.RegisterSourceOutput(workflows.Collect().Combine(functions.Collect()).Combine(compilation).Combine(hasUserMain)
                .WithTrackingName(StepNames.AssemblyDiagnostics),
            static (spc, input) => Reporter.ReportAssembly(spc, input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right));
        context.RegisterSourceOutput(allWorkflows.Combine(allFunctions).Combine(facts).WithTrackingName(StepNames.ManifestDiagnostics),
            static (spc, input) => DeploymentManifest.ReportDiagnostics(spc, input.Left.Left, input.Left.Right, input.Right));
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

    /// <summary>The pipeline's tracking names, for tests that check what an edit re-runs.</summary>
    internal static class StepNames
    {
        public const string Workflows = "DurableGen.Workflows";
        public const string WorkflowModels = "DurableGen.WorkflowModels";
        public const string Functions = "DurableGen.Functions";
        public const string FunctionModels = "DurableGen.FunctionModels";
        public const string Callbacks = "DurableGen.Callbacks";
        public const string CallbackModels = "DurableGen.CallbackModels";
        public const string DeploymentFacts = "DurableGen.DeploymentFacts";
        public const string TypeFacts = "DurableGen.TypeFacts";
        public const string WorkflowSource = "DurableGen.WorkflowSource";
        public const string FunctionSource = "DurableGen.FunctionSource";
        public const string CallbackSource = "DurableGen.CallbackSource";
        public const string AssemblySource = "DurableGen.AssemblySource";
        public const string ManifestSource = "DurableGen.ManifestSource";
        public const string WorkflowDiagnostics = "DurableGen.WorkflowDiagnostics";
        public const string FunctionDiagnostics = "DurableGen.FunctionDiagnostics";
        public const string CallbackDiagnostics = "DurableGen.CallbackDiagnostics";
        public const string AssemblyDiagnostics = "DurableGen.AssemblyDiagnostics";
        public const string ManifestDiagnostics = "DurableGen.ManifestDiagnostics";
    }
}
