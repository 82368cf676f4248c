using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableGen;

/// <summary>
/// The reflection-based serializer generated code falls back to when a project declares no
/// <c>JsonSerializerContext</c>. It cannot work under Native AOT or trimming, so creating one carries
/// <see cref="RequiresUnreferencedCodeAttribute"/> and <see cref="RequiresDynamicCodeAttribute"/>: projects that
/// publish AOT or trimmed get IL2026/IL3050 (and DG1010 from the generator) instead of a run-time failure.
/// </summary>
public sealed class ReflectionDurableSerializer : IDurableSerializer
{
    private const string Reason =
        "Reflection-based JSON needs the types' metadata at run time; declare a JsonSerializerContext for AOT or trimming.";

    private readonly JsonSerializerOptions _options;

    /// <summary>Creates the serializer (compact JSON, relaxed encoder, as <see cref="JsonDurableSerializer"/> writes).</summary>
    [RequiresUnreferencedCode(Reason)]
    [RequiresDynamicCode(Reason)]
    public ReflectionDurableSerializer()
    {
        _options = new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        _options.MakeReadOnly();
    }

    /// <inheritdoc />
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The constructor carries the requirement.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The constructor carries the requirement.")]
    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, _options);

    /// <inheritdoc />
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The constructor carries the requirement.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The constructor carries the requirement.")]
    public T? Deserialize<T>(string? text) => text is null ? default : JsonSerializer.Deserialize<T>(text, _options);
}
