using System.Diagnostics.CodeAnalysis;

namespace DurableGen.Testing;

/// <summary>
/// Serializers a test can opt in to when it has no workflow registration to take one from. A runner built from a
/// generated registration (<c>DurableTestRunner.Create(OrderWorkflow.Registration)</c>) needs none of these: it uses
/// the workflow's own <c>JsonSerializerContext</c>, as production does.
/// </summary>
public static class DurableTestSerializers
{
    private const string Reason =
        "Reflection-based JSON serializes types the workflow's JsonSerializerContext may lack; tests only.";

    private static IDurableSerializer? s_reflection;

    /// <summary>
    /// Reflection-based System.Text.Json (compact, relaxed escaping, as the runtime writes). It serializes any type,
    /// so a type missing from the workflow's <c>JsonSerializerContext</c> passes here and fails in the Native AOT
    /// bootstrap: use it for ad-hoc workflows written in the test, never instead of a registration's serializer.
    /// </summary>
    public static IDurableSerializer Reflection
    {
        [RequiresUnreferencedCode(Reason)]
        [RequiresDynamicCode(Reason)]
        get => s_reflection ??= new ReflectionDurableSerializer();
    }
}
