using Microsoft.CodeAnalysis;

namespace DurableGen.Generators;

/// <summary>Every DG1xxx rule. Ids, titles and severities are the contract of AnalyzerReleases.*.md and docs/diagnostics.</summary>
internal static class Descriptors
{
    public const string HelpLinkBase = "https://github.com/durablegen/durablegen/blob/main/docs/diagnostics/";

    private const string Generator = "DurableGen.Generator";
    private const string Serialization = "DurableGen.Serialization";
    private const string Deployment = "DurableGen.Deployment";

    public static readonly DiagnosticDescriptor NotPartial = Create("DG1001", "Class is not partial",
        "'{0}' must be declared partial (and so must every type that contains it) so the generator can add its {1}",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor WrongShape = Create("DG1002", "Workflow method has the wrong shape",
        "'{0}' cannot be the workflow method: {1}; a workflow method takes (TInput input, IDurableContext context) and returns Task or Task<TOutput>",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NoMethod = Create("DG1003", "No workflow method",
        "'{0}' has no workflow method{1}; declare one that takes (TInput input, IDurableContext context) and returns Task or Task<TOutput>",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor SeveralMethods = Create("DG1004", "Several candidate workflow methods",
        "'{0}' has several methods of the workflow shape ({1}); name the workflow with [DurableWorkflow(Method = nameof(...))]",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotHostable = Create("DG1005",
        "Class is generic, nested in a generic type, or not accessible",
        "'{0}' cannot be generated for: {1}",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DuplicateFunctionName = Create("DG1006", "Duplicate function name",
        "The function name '{0}' is used by both '{1}' and '{2}'; _HANDLER could not tell them apart",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor OutOfRange = Create("DG1007", "Deployment setting out of range",
        "{0} is {1}; the service accepts {2}",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor SecondMain = Create("DG1008", "Second Main",
        "[assembly: DurableLambdaEntryPoint] asks for a generated Main, but this project already has an entry point; remove one of them, or use DurableLambdaEntryPoint(false) and call DurableWorkflows.RunLambdaAsync() from your Main",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MissingFromContext = Create("DG1009",
        "Checkpointed type missing from the JsonSerializerContext",
        "'{0}' is checkpointed ({1}) but '{2}' has no metadata for it; add [JsonSerializable(typeof({0}))] to the context",
        Serialization, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NoContextForAot = Create("DG1010",
        "No JsonSerializerContext in an AOT or trimmed project",
        "'{0}' has no JsonSerializerContext, so its values are serialized by reflection, which Native AOT and trimming break; declare a JsonSerializerContext with [JsonSerializable] for every checkpointed type",
        Serialization, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnsupportedType = Create("DG1011", "Unsupported type",
        "'{0}' cannot be {1}: {2}",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor BadContext = Create("DG1012", "Ambiguous or invalid JsonSerializerContext",
        "{0}",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotCreatable = Create("DG1013", "Function class cannot be created",
        "'{0}' has an instance {1} method but no parameterless constructor; add one, make the method static, or declare 'static {0} {2}()'",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnknownInvokeTarget = Create("DG1014", "Invoked function computed at run time",
        "This call invokes a function whose name is computed at run time, so the generated template cannot grant {0} lambda:InvokeFunction on it; declare the target with Invokes = new[] {{ \"name-or-arn\" }} on the function's attribute",
        Deployment, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UncontractedCompletion = Create("DG1015", "Callback completed without a contract",
        "This call completes a callback through the callback client directly, so the generated template cannot tell whose callbacks {0} completes; use a [Callback] contract's Complete(...), or declare CompletesCallbacksOf = new[] {{ \"workflow-name\" }} on the function's attribute",
        Deployment, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NoHandler = Create("DG1016", "No Lambda function handler",
        "'{0}' has no handler: {1}; a [LambdaFunction] handler takes (TInput input, ILambdaContext context) or (TInput input, ILambdaContext context, CancellationToken cancellationToken) and returns Task or Task<TOutput>",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor BothKinds = Create("DG1017", "Class is both a workflow and a plain function",
        "'{0}' has both [DurableWorkflow] and [LambdaFunction]; a class is one function, durable or plain: keep one attribute, or split the class",
        Generator, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor HostNeverRun = Create("DG1018", "Entry point never runs the Lambda host",
        "This program's entry point ({0}) never runs the Lambda host, so no invocation of {1} is ever served; delete it to get the generated entry point, or start the host from it: if (DurableLambdaHost.IsLambdaEnvironment) return await DurableWorkflows.RunLambdaAsync();",
        Generator, DiagnosticSeverity.Error);

    /// <summary>DG1009's case in a PublishAot project, where the published binary fails that operation at run time.</summary>
    public static readonly DiagnosticDescriptor MissingFromContextAot = Create("DG1019",
        "Checkpointed type missing from the JsonSerializerContext of a Native AOT project",
        "'{0}' is checkpointed ({1}) but '{2}' has no metadata for it, so the Native AOT binary fails this operation at run time; add [JsonSerializable(typeof({0}))] to the context",
        Serialization, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotData = Create("DG1020", "Checkpointed type is not data",
        "'{0}' is checkpointed ({1}) but is not data: {2}; return the data you need from it instead (a string, a number, a record of the fields you read)",
        Serialization, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor[] All =
    [
        NotPartial, WrongShape, NoMethod, SeveralMethods, NotHostable, DuplicateFunctionName, OutOfRange, SecondMain,
        MissingFromContext, NoContextForAot, UnsupportedType, BadContext, NotCreatable, UnknownInvokeTarget,
        UncontractedCompletion, NoHandler, BothKinds, HostNeverRun, MissingFromContextAot, NotData,
    ];

    public static DiagnosticDescriptor ById(string id)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        throw new System.ArgumentException("Unknown diagnostic id " + id, nameof(id));
    }

    private static DiagnosticDescriptor Create(string id, string title, string message, string category,
        DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
