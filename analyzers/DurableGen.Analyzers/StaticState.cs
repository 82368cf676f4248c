using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Analyzers;

/// <summary>
/// DG2030: writes to static state. A static lives as long as the Lambda sandbox, not the execution: another invocation
/// (of this execution or another one) may run in a fresh sandbox where it is back to its initial value, or in a warm one
/// where other executions changed it, and a replay never restores it. Reading a static is fine; what is reported is (a)
/// an assignment, compound assignment, <c>??=</c>, <c>++</c> or <c>--</c> of a static field or property, or of a member,
/// indexer or array element of one; (b) a static field passed by <c>ref</c>/<c>out</c> (<c>Interlocked.Increment(ref n)</c>);
/// (c) an instance method that is not a query, called on a static field or property of a mutable collection type of
/// System.Collections.* (a <c>static readonly List</c> is still mutable: readonly fixes the reference, not the list).
/// </summary>
internal static class StaticState
{
    /// <summary>The static member a write to <paramref name="target"/> changes, as shown in the message; null when none.</summary>
    public static string? Written(IOperation target)
    {
        target = Unwrap(target);
        if (StaticMember(target) is { } member)
        {
            return member;
        }

        return target switch
        {
            IMemberReferenceOperation { Instance: { } instance } reference when StaticMember(Unwrap(instance)) is { } owner =>
                owner + (reference is IPropertyReferenceOperation { Property.IsIndexer: true } ? "[]" : "." + reference.Member.Name),
            IArrayElementReferenceOperation { ArrayReference: { } array } when StaticMember(Unwrap(array)) is { } owner => owner + "[]",
            _ => null,
        };
    }

    /// <summary>The static state a call changes (a mutating call on a static collection, or a static passed by ref); null when none.</summary>
    public static string? MutatingCall(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && StaticMember(Unwrap(argument.Value)) is { } byRef)
            {
                return WorkflowRegions.ApiName(invocation.TargetMethod) + "(ref " + byRef + ")";
            }
        }

        var method = invocation.TargetMethod;
        if (method.IsStatic || invocation.Instance is not { } instance || IsQuery(method.Name))
        {
            return null;
        }

        instance = Unwrap(instance);
        return StaticMember(instance) is { } owner && IsMutableCollection(instance.Type) ? owner + "." + method.Name : null;
    }

    private static string? StaticMember(IOperation operation) => operation switch
    {
        IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field } => WorkflowRegions.ApiName(field),
        IPropertyReferenceOperation { Property: { IsStatic: true } property } => WorkflowRegions.ApiName(property),
        _ => null,
    };

    private static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static bool IsMutableCollection(ITypeSymbol? type)
    {
        if (type is IArrayTypeSymbol)
        {
            return true;
        }

        var ns = type?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return (ns == "System.Collections" || ns.StartsWith("System.Collections.", StringComparison.Ordinal))
               && ns != "System.Collections.Immutable" && ns != "System.Collections.Frozen"
               && type!.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface;
    }

    /// <summary>Methods of the BCL collections that only read: everything else on a static collection is a write.</summary>
    private static bool IsQuery(string name) =>
        name is "Contains" or "ContainsKey" or "ContainsValue" or "TryGetValue" or "IndexOf" or "LastIndexOf"
            or "Exists" or "TrueForAll" or "BinarySearch" or "ToArray" or "CopyTo" or "Peek" or "TryPeek"
            or "GetEnumerator" or "GetRange" or "ConvertAll" or "AsReadOnly" or "GetAlternateLookup"
            or "IsSubsetOf" or "IsSupersetOf" or "IsProperSubsetOf" or "IsProperSupersetOf" or "Overlaps" or "SetEquals"
            or "Equals" or "GetHashCode" or "ToString" or "GetType" or "Clone" or "GetValueOrDefault"
        || name.StartsWith("Find", StringComparison.Ordinal) || name.StartsWith("get_", StringComparison.Ordinal);
}
