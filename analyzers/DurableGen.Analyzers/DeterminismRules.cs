using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>Which APIs break determinism, and which rule each belongs to.</summary>
internal static class DeterminismRules
{
    /// <summary>The rule <paramref name="operation"/> breaks in workflow code, with the API's display name; null when none.</summary>
    public static (DiagnosticDescriptor Rule, string Api)? Classify(IOperation operation, KnownSymbols known)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (ClassifyMethod(invocation.TargetMethod, known) is { } rule)
                {
                    return (rule, WorkflowRegions.ApiName(invocation.TargetMethod));
                }

                return StaticState.MutatingCall(invocation) is { } mutated
                    ? (DiagnosticDescriptors.StaticState, mutated)
                    : InjectedLoggerCall(invocation) is { } logged
                        ? (DiagnosticDescriptors.InjectedLogger, logged)
                        : null;
            case IAssignmentOperation assignment:
                return StaticState.Written(assignment.Target) is { } assigned
                    ? (DiagnosticDescriptors.StaticState, assigned)
                    : null;
            case IIncrementOrDecrementOperation increment:
                return StaticState.Written(increment.Target) is { } incremented
                    ? (DiagnosticDescriptors.StaticState, incremented)
                    : null;
            case IPropertyReferenceOperation property:
                return ClassifyProperty(property.Property, known) is { } propertyRule
                       && !IsInstanceOfSameFinding(property, propertyRule, known)
                    ? (propertyRule, WorkflowRegions.ApiName(property.Property))
                    : null;
            case IObjectCreationOperation { Constructor: { } ctor }:
                return ClassifyConstructor(ctor) is { } ctorRule ? (ctorRule, WorkflowRegions.ApiName(ctor)) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// <c>TimeProvider.System.GetUtcNow()</c> is one clock read: the property is only the receiver of the call, which is
    /// reported itself. Reporting both puts two diagnostics at the same position for one mistake.
    /// </summary>
    private static bool IsInstanceOfSameFinding(IPropertyReferenceOperation property, DiagnosticDescriptor rule, KnownSymbols known)
    {
        IOperation receiver = property;
        while (receiver.Parent is IConversionOperation or IParenthesizedOperation)
        {
            receiver = receiver.Parent;
        }

        return receiver.Parent switch
        {
            IInvocationOperation invocation when invocation.Instance == receiver =>
                ClassifyMethod(invocation.TargetMethod, known) == rule,
            IPropertyReferenceOperation outer when outer.Instance == receiver =>
                ClassifyProperty(outer.Property, known) == rule,
            _ => false,
        };
    }

    /// <summary>
    /// A logging call (ILogger.Log or a LoggerExtensions.Log* method) whose logger was injected: a field, a property
    /// other than DurableGen's own replay-aware Logger properties, or a captured primary-constructor parameter. A
    /// logger parameter or local is not reported: a helper that takes <c>context.Logger</c> looks the same.
    /// </summary>
    private static string? InjectedLoggerCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        var ns = method.ContainingNamespace?.ToDisplayString();
        if (ns != "Microsoft.Extensions.Logging" || !method.Name.StartsWith("Log", StringComparison.Ordinal))
        {
            return null;
        }

        var receiver = invocation.Instance ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0
            ? invocation.Arguments[0].Value
            : null);
        while (receiver is IConversionOperation or IParenthesizedOperation)
        {
            receiver = receiver is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)receiver).Operand;
        }

        if (receiver?.Type is not { } type || !IsLogger(type))
        {
            return null;
        }

        var injected = receiver switch
        {
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation property when property.Property.ContainingAssembly?.Name != "DurableGen" => property.Property.Name,
            IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } p => p.Parameter.Name,
            _ => null,
        };
        return injected is null ? null : injected + "." + method.Name;
    }

    private static bool IsLogger(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol named && TypeName(named) is "Microsoft.Extensions.Logging.ILogger" or "Microsoft.Extensions.Logging.ILogger`1")
        {
            return true;
        }

        foreach (var i in type.AllInterfaces)
        {
            if (TypeName(i) == "Microsoft.Extensions.Logging.ILogger")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a BCL method sends its arguments out of the process (I/O, threads that outlive the call, console).</summary>
    public static bool ClassifyMethodForHandOff(IMethodSymbol method, KnownSymbols known) =>
        ClassifyMethod(method, known) is { } rule && (rule == DiagnosticDescriptors.InputOutput
                                                      || rule == DiagnosticDescriptors.Threading);

    private static DiagnosticDescriptor? ClassifyProperty(IPropertySymbol property, KnownSymbols known)
    {
        var type = TypeName(property.ContainingType);
        var name = property.Name;
        switch (type)
        {
            case "System.DateTime" when name is "Now" or "UtcNow" or "Today":
            case "System.DateTimeOffset" when name is "Now" or "UtcNow":
            case "System.TimeProvider" when name == "System":
            case "System.Diagnostics.Stopwatch":
            case "System.Environment" when name is "TickCount" or "TickCount64":
                return DiagnosticDescriptors.WallClock;
            case "System.Random" when name == "Shared":
                return DiagnosticDescriptors.Randomness;
            case "System.Environment" when name is "MachineName" or "UserName" or "UserDomainName" or "ProcessId"
                or "ProcessorCount" or "CurrentDirectory" or "OSVersion" or "CommandLine" or "WorkingSet"
                or "SystemDirectory" or "CurrentManagedThreadId" or "ProcessPath" or "HasShutdownStarted":
                return DiagnosticDescriptors.EnvironmentRead;
            case "System.Console":
                return DiagnosticDescriptors.ConsoleOutput;
            case "System.Threading.Tasks.Task" when name == "Factory":
                return null; // StartNew on it is what counts
        }

        if (known.LambdaContext is not null && name is "AwsRequestId" or "RemainingTime"
            && (known.Is(property.ContainingType, known.LambdaContext) || Implements(property.ContainingType, known.LambdaContext)))
        {
            return DiagnosticDescriptors.EnvironmentRead;
        }

        return null;
    }

    private static DiagnosticDescriptor? ClassifyMethod(IMethodSymbol method, KnownSymbols known)
    {
        method = method.ReducedFrom ?? method;
        var containing = method.ContainingType;
        var type = TypeName(containing);
        var name = method.Name;
        switch (type)
        {
            case "System.Diagnostics.Stopwatch":
                return DiagnosticDescriptors.WallClock;
            case "System.Guid" when name is "NewGuid" or "CreateVersion7":
            case "System.Security.Cryptography.RandomNumberGenerator":
            case "System.IO.Path" when name is "GetRandomFileName" or "GetTempFileName":
                return DiagnosticDescriptors.Randomness;
            case "System.Environment" when name is "GetEnvironmentVariable" or "GetEnvironmentVariables"
                or "ExpandEnvironmentVariables" or "GetCommandLineArgs" or "GetFolderPath" or "GetLogicalDrives":
            case "System.Net.Dns" when name == "GetHostName":
                return DiagnosticDescriptors.EnvironmentRead;
            case "System.Threading.Tasks.Task" when name == "Delay":
            case "System.Threading.Thread" when name == "Sleep":
                return DiagnosticDescriptors.Sleep;
            case "System.Threading.Tasks.Task" or "System.Threading.Tasks.Task`1" when name is "Run" or "ContinueWith" or "Start":
            case "System.Threading.Tasks.TaskFactory" or "System.Threading.Tasks.TaskFactory`1" when name == "StartNew":
            case "System.Threading.Tasks.Parallel":
            case "System.Threading.ThreadPool":
            case "System.Threading.Thread" when name is "Start" or "UnsafeStart":
                return DiagnosticDescriptors.Threading;
            case "System.Console":
                return DiagnosticDescriptors.ConsoleOutput;
            case "System.IO.File" or "System.IO.Directory" or "System.Net.Dns" or "System.IO.DriveInfo":
                return DiagnosticDescriptors.InputOutput;
        }

        if (IsWallClockProvider(containing) && name is "GetUtcNow" or "GetLocalNow" or "GetTimestamp" or "GetElapsedTime" or "CreateTimer")
        {
            return DiagnosticDescriptors.WallClock;
        }

        if (method.IsStatic is false && name is "Dispose" or "DisposeAsync" or "ToString" or "GetHashCode" or "Equals" or "GetType")
        {
            return null;
        }

        if (IsInputOutputType(containing, known) || (known.CallbackClientExtensions is not null
                                                     && known.Is(containing, known.CallbackClientExtensions)))
        {
            return DiagnosticDescriptors.InputOutput;
        }

        return null;
    }

    private static DiagnosticDescriptor? ClassifyConstructor(IMethodSymbol ctor)
    {
        var type = TypeName(ctor.ContainingType);
        switch (type)
        {
            case "System.Random" when ctor.Parameters.Length == 0:
                return DiagnosticDescriptors.Randomness;
            case "System.Diagnostics.Stopwatch":
            case "System.Threading.Timer":
            case "System.Timers.Timer":
            case "System.Threading.PeriodicTimer":
                return DiagnosticDescriptors.WallClock;
            case "System.Threading.Thread":
            case "System.Threading.Tasks.Task":
            case "System.Threading.Tasks.Task`1":
                return DiagnosticDescriptors.Threading;
            case "System.IO.FileStream":
            case "System.IO.FileInfo":
            case "System.IO.DirectoryInfo":
            case "System.IO.StreamReader" or "System.IO.StreamWriter"
                when ctor.Parameters.Length > 0 && ctor.Parameters[0].Type.SpecialType == SpecialType.System_String:
                return DiagnosticDescriptors.InputOutput;
        }

        return null;
    }

    /// <summary>Types whose methods talk to the outside world: HTTP, sockets, files, databases, processes, AWS clients, callback clients.</summary>
    private static bool IsInputOutputType(INamedTypeSymbol? type, KnownSymbols known)
    {
        if (type is null)
        {
            return false;
        }

        if (known.CallbackClient is not null && (known.Is(type, known.CallbackClient) || Implements(type, known.CallbackClient)))
        {
            return true;
        }

        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        if (ns == "System.Net.Sockets" || ns.StartsWith("System.Net.Sockets.", StringComparison.Ordinal))
        {
            return true;
        }

        if ((ns == "Amazon" || ns.StartsWith("Amazon.", StringComparison.Ordinal))
            && (type.Name.StartsWith("IAmazon", StringComparison.Ordinal) || type.Name.EndsWith("Client", StringComparison.Ordinal)
                || ImplementsByName(type, "Amazon.Runtime.IAmazonService")))
        {
            return true;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            switch (TypeName(current))
            {
                case "System.Net.Http.HttpMessageInvoker":
                case "System.Net.WebClient":
                case "System.Net.WebRequest":
                case "System.IO.FileSystemInfo":
                case "System.IO.FileStream":
                case "System.Data.Common.DbConnection":
                case "System.Data.Common.DbCommand":
                case "System.Diagnostics.Process":
                    return true;
            }
        }

        var name = TypeName(type);
        return name is "System.Data.IDbConnection" or "System.Data.IDbCommand"
               || ImplementsByName(type, "System.Data.IDbConnection") || ImplementsByName(type, "System.Data.IDbCommand");
    }

    private static bool IsWallClockProvider(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (TypeName(current) == "System.TimeProvider")
            {
                return true;
            }
        }

        return false;
    }

    internal static string TypeName(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return string.Empty;
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return ns + type.OriginalDefinition.MetadataName;
    }

    private static bool Implements(INamedTypeSymbol? type, INamedTypeSymbol iface)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var i in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(i, iface))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ImplementsByName(INamedTypeSymbol type, string fullName)
    {
        foreach (var i in type.AllInterfaces)
        {
            if (TypeName(i) == fullName)
            {
                return true;
            }
        }

        return false;
    }
}
