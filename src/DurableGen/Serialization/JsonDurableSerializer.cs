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
        // The options' own look-up costs a dictionary search per call, on every replayed step; a process nearly always
        // has one serializer, so the last one's type info per T is remembered (checked by owner, never shared wrongly).
        if (LastTypeInfo<T>.Value is { } last && ReferenceEquals(last.Owner, _options))
        {
            return last.Info;
        }

        var info = Resolve<T>();
        LastTypeInfo<T>.Value = new ResolvedTypeInfo<T>(_options, info);
        return info;
    }

    private JsonTypeInfo<T> Resolve<T>()
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

    private sealed record ResolvedTypeInfo<T>(JsonSerializerOptions Owner, JsonTypeInfo<T> Info);

    private static class LastTypeInfo<T>
    {
        /// <summary>Replaced whole (one reference write), so a reader sees an owner and its info together.</summary>
        public static ResolvedTypeInfo<T>? Value;
    }
}
