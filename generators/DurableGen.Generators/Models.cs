using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DurableGen.Generators;

/// <summary>
/// A source location without the syntax tree, so it compares by value. It belongs with what is reported, never in a
/// model a file is generated from: a blank line above a class would change the model and regenerate the file.
/// </summary>
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

/// <summary>
/// What parsing one attributed class gives: the model its file is generated from, which holds no source position, and
/// what is reported about it, which does (the attribute's location and the diagnostics). The generator feeds the model
/// alone to the step that writes the file, so an edit that only moves the class re-runs the reporting and nothing else.
/// </summary>
internal sealed record Parsed<TModel>(TModel Model, LocationInfo? AttributeLocation, EquatableArray<DiagnosticInfo> Diagnostics);

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
    DeploymentModel Deployment,
    bool IsValid);

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
    DeploymentModel Deployment,
    bool IsValid);

/// <summary>Everything the emitter needs about one [Callback] class.</summary>
internal sealed record CallbackModel(
    TypeTarget Target,
    string Name,
    string ResultType,
    int TimeoutSeconds,
    int HeartbeatTimeoutSeconds,
    string? ExplicitContext,
    bool IsValid);

/// <summary>A JsonSerializerContext declared in the compilation.</summary>
internal sealed record ContextModel(string GlobalName);

/// <summary>What the entry point depends on.</summary>
internal sealed record CompilationModel(bool IsExecutable, int EntryPointMode, bool ReferencesRuntime);

/// <summary>
/// What one type declaration's code does that deployment cares about, for the template's least-privilege statements.
/// <paramref name="Name"/> identifies the type (partial declarations give several facts of one name);
/// <paramref name="Uses"/> are the types of this compilation whose code this code may run (calls, creations, non-const
/// member reads, method groups); <paramref name="Bases"/> its base types and interfaces of this compilation (a call
/// through them may run this type's code); the rest: the functions it invokes by a constant name, the [Callback]
/// contracts it completes and those it waits on. No source positions: the manifest is generated from these.
/// </summary>
internal sealed record TypeFacts(
    string Name,
    EquatableArray<string> Uses,
    EquatableArray<string> Bases,
    EquatableArray<string> Invokes,
    EquatableArray<string> CompletedContracts,
    EquatableArray<string> WaitedContracts)
{
    public bool IsEmpty => Uses.Count == 0 && Bases.Count == 0 && Invokes.Count == 0 && CompletedContracts.Count == 0
                           && WaitedContracts.Count == 0;
}

/// <summary>
/// Where one type declaration's code does what the template cannot follow, for DG1014 and DG1015: Lambda invokes of a
/// name computed at run time, and completions through the callback client directly.
/// </summary>
internal sealed record TypeSites(string Name, EquatableArray<LocationInfo> UnknownInvokes, EquatableArray<LocationInfo> UncontractedCompletions);

/// <summary>
/// The deployment facts of a compilation: <paramref name="Types"/>, which the manifest is generated from, and
/// <paramref name="Sites"/>, which only diagnostics are reported at (kept apart so moving code regenerates nothing).
/// </summary>
internal sealed record CodeFacts(EquatableArray<TypeFacts> Types, EquatableArray<TypeSites> Sites)
{
    public static CodeFacts Empty { get; } = new(EquatableArray<TypeFacts>.Empty, EquatableArray<TypeSites>.Empty);
}
