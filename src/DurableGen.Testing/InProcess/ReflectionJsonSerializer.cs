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

    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public T? Deserialize<T>(string? text) => text is null ? default : JsonSerializer.Deserialize<T>(text, Options);
}
