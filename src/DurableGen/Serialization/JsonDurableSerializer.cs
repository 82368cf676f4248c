using System;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DurableGen;

/// <summary>
/// An <see cref="IDurableSerializer"/> over a source-generated <see cref="JsonSerializerContext"/>: no reflection, so
/// it is safe under trimming and Native AOT. Output is compact and uses the relaxed encoder (unless the context sets
/// its own), so payload text matches what the other SDKs write.
/// </summary>
public sealed class JsonDurableSerializer : IDurableSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates a serializer that resolves every type through <paramref name="context"/>.</summary>
    public JsonDurableSerializer(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = new JsonSerializerOptions(context.Options)
        {
            TypeInfoResolver = context,
            Encoder = context.Options.Encoder ?? JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        _options.MakeReadOnly();
    }

    /// <inheritdoc />
    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    /// <inheritdoc />
    public T? Deserialize<T>(string? text) => text is null ? default : JsonSerializer.Deserialize(text, TypeInfo<T>());

    private JsonTypeInfo<T> TypeInfo<T>()
    {
        try
        {
            return (JsonTypeInfo<T>)_options.GetTypeInfo(typeof(T));
        }
        catch (NotSupportedException ex)
        {
            var name = TypeNames.Display(typeof(T));
            throw new InvalidOperationException(
                $"{name} is not in the registered JsonSerializerContext. Add [JsonSerializable(typeof({name}))] to it.", ex);
        }
    }
}
