using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableGen.Protocol;

/// <summary>
/// Writes enum members as UPPER_SNAKE strings (<c>ChainedInvoke</c> ↔ <c>CHAINED_INVOKE</c>). Unknown strings read as
/// the member whose value is 0, so a newer service value never breaks deserialization.
/// </summary>
/// <typeparam name="T">The enum type.</typeparam>
public sealed class UpperSnakeCaseEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = BuildNames();
    private static readonly Dictionary<string, T> Values = BuildValues();

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(T).Name}.");
        }

        return Values.TryGetValue(reader.GetString()!, out var value) ? value : default;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <summary>The member whose wire name is <paramref name="name"/> (for query parameters, which carry enum
    /// values outside JSON); false for any other text, where <see cref="Read"/> would answer the 0 member.</summary>
    public static bool TryParse(string name, out T value) => Values.TryGetValue(name, out value);

    /// <summary>The wire name of <paramref name="value"/>, as <see cref="Write"/> writes it (<c>TIMED_OUT</c>).</summary>
    public static string Format(T value) => Names.TryGetValue(value, out var name) ? name : ToUpperSnake(value.ToString());

    /// <summary>Converts a PascalCase identifier to UPPER_SNAKE.</summary>
    internal static string ToUpperSnake(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    private static Dictionary<T, string> BuildNames()
    {
        var names = new Dictionary<T, string>();
        foreach (var value in Enum.GetValues<T>())
        {
            names[value] = ToUpperSnake(value.ToString());
        }

        return names;
    }

    private static Dictionary<string, T> BuildValues()
    {
        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (value, name) in BuildNames())
        {
            values[name] = value;
        }

        return values;
    }
}
