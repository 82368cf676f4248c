using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DurableGen.Generators;

/// <summary>A source location without the syntax tree, so models stay equatable.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic to report, with its message arguments as strings.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        new(descriptor.Id, LocationInfo.From(location), arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptors.ById(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
            Arguments.Cast<object>().ToArray());
}

/// <summary>A type that contains the generated one: its declaration keyword and name.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>Where generated members go: namespace, containing types, and the target type's keyword and name.</summary>
internal sealed record TypeTarget(string Namespace, EquatableArray<ContainingType> Containers, string Keyword, string Name,
    string FullName, string GlobalName);

/// <summary>How the handler gets a workflow instance.</summary>
internal enum Creation
{
    StaticMethod,
    Constructor,
    Factory,
}

/// <summary>
/// How a function is deployed, defaults applied (the numbers equal LambdaDeploymentAttribute's constants).
/// <paramref name="Environment"/> holds <c>NAME=value</c> entries sorted by name; <paramref name="Invokes"/> and
/// <paramref name="CompletesCallbacksOf"/> are what the attribute declares, before the code's own targets are added.
/// </summary>
internal sealed record DeploymentModel(
    int FunctionTimeout,
    int MemorySize,
    string Architecture,
    EquatableArray<string> Environment,
    int ReservedConcurrency,
    string? Description,
    EquatableArray<string> Invokes,
    EquatableArray<string> CompletesCallbacksOf);

/// <summary>Everything the emitter needs about one [DurableWorkflow] class.</summary>
internal sealed record WorkflowModel(
    TypeTarget Target,
    string FunctionName,
    int ExecutionTimeout,
    int RetentionPeriodInDays,
    string MethodName,
    Creation Creation,
    string InputType,
    string? OutputType,
    bool TypesArePublic,
    string? ExplicitContext,
    LocationInfo? AttributeLocation,
    DeploymentModel Deployment,
    bool IsValid,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Everything the emitter needs about one [LambdaFunction] class (a plain, not durable, function).</summary>
internal sealed record FunctionModel(
    TypeTarget Target,
    string FunctionName,
    string MethodName,
    Creation Creation,
    string InputType,
    string? OutputType,
    bool TakesCancellationToken,
    string? ExplicitContext,
    LocationInfo? AttributeLocation,
    DeploymentModel Deployment,
    bool IsValid,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Everything the emitter needs about one [Callback] class.</summary>
internal sealed record CallbackModel(
    TypeTarget Target,
    string Name,
    string ResultType,
    int TimeoutSeconds,
    int HeartbeatTimeoutSeconds,
    string? ExplicitContext,
    bool IsValid,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A JsonSerializerContext declared in the compilation.</summary>
internal sealed record ContextModel(string GlobalName);

/// <summary>What the entry point depends on.</summary>
internal sealed record CompilationModel(bool IsExecutable, int EntryPointMode, bool ReferencesRuntime);

/// <summary>A call that invokes a Lambda function: its target when the code names it with a constant, else null.</summary>
internal sealed record InvokeSite(string? Target, LocationInfo? Location);

/// <summary>
/// What one type declaration's code does that deployment cares about, for the template's least-privilege statements.
/// <paramref name="Name"/> identifies the type (partial declarations give several facts of one name);
/// <paramref name="Uses"/> are the types of this compilation whose code this code may run (calls, creations, non-const
/// member reads, method groups); <paramref name="Bases"/> its base types and interfaces of this compilation (a call
/// through them may run this type's code); the rest are the sites: Lambda invokes, completions of [Callback]
/// contracts, completions through the callback client directly, and the contracts waited on.
/// </summary>
internal sealed record TypeFacts(
    string Name,
    EquatableArray<string> Uses,
    EquatableArray<string> Bases,
    EquatableArray<InvokeSite> Invokes,
    EquatableArray<string> CompletedContracts,
    EquatableArray<LocationInfo> UncontractedCompletions,
    EquatableArray<string> WaitedContracts)
{
    public bool IsEmpty => Uses.Count == 0 && Bases.Count == 0 && Invokes.Count == 0 && CompletedContracts.Count == 0
                           && UncontractedCompletions.Count == 0 && WaitedContracts.Count == 0;
}
