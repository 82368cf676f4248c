using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableGen.Testing.InProcess;

/// <summary>
/// The test host's fallback serializer when a test registers no <c>JsonSerializerContext</c>: reflection-based
/// System.Text.Json with the runtime's compact, relaxed output. Tests only — the runtime itself never reflects.
/// </summary>
[RequiresUnreferencedCode("Reflection-based JSON, for tests.")]
[RequiresDynamicCode("Reflection-based JSON, for tests.")]
internal sealed class ReflectionJsonSerializer : IDurableSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static ReflectionJsonSerializer Instance { get; } = new();

    /// <summary>
    /// The fallback as a plain <see cref="IDurableSerializer"/>. Only reached when nothing registered a serializer; an
    /// AOT or trimmed application registers its JsonSerializerContext first, so the reflection path never runs there.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Used only when no JsonSerializerContext is registered; AOT apps register one.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Used only when no JsonSerializerContext is registered; AOT apps register one.")]
    public static IDurableSerializer Fallback() => Instance;

    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public T? Deserialize<T>(string? text) => text is null ? default : JsonSerializer.Deserialize<T>(text, Options);
}
