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
    string? ExplicitContext,
    LocationInfo? AttributeLocation,
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
