using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableGen.Conformance.Hosting;

/// <summary>
/// The serializer the handlers run with: System.Text.Json over reflection metadata (this is a test harness, not the
/// AOT runtime), compact output with the relaxed encoder so payload text matches the other SDKs byte for byte.
/// </summary>
public sealed class ConformanceSerializer : IDurableSerializer
{
    /// <summary>The options used for every value.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The instance.</summary>
    public static ConformanceSerializer Instance { get; } = new();

    /// <inheritdoc />
    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <inheritdoc />
    public T? Deserialize<T>(string? text) => text is null ? default : JsonSerializer.Deserialize<T>(text, Options);
}
