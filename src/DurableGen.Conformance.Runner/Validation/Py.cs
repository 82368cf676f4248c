using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableGen.Conformance.Validation;

/// <summary>
/// Python-compatible helpers over <see cref="JsonNode"/>, as the Python runner sees decoded JSON and YAML values:
/// <c>==</c>, <c>str()</c>, <c>repr()</c> and <c>json.dumps</c> with its default settings.
/// </summary>
public static class Py
{
    /// <summary>The JSON kind of a node (<see cref="JsonValueKind.Null"/> for a null reference).</summary>
    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>True for a JSON string.</summary>
    public static bool IsString(JsonNode? node) => Kind(node) == JsonValueKind.String;

    /// <summary>The string value, or null when the node is not a JSON string.</summary>
    public static string? AsString(JsonNode? node) => IsString(node) ? node!.GetValue<string>() : null;

    /// <summary>True for a JSON number (booleans are not numbers here).</summary>
    public static bool IsNumber(JsonNode? node) => Kind(node) == JsonValueKind.Number;

    /// <summary>True for <c>true</c>/<c>false</c>.</summary>
    public static bool IsBool(JsonNode? node) => Kind(node) is JsonValueKind.True or JsonValueKind.False;

    /// <summary>Python <c>a == b</c> for decoded JSON: numbers numerically (<c>1 == 1.0</c>), booleans equal to 1/0
    /// (<c>True == 1</c>), strings ordinally, mappings ignoring key order, lists in order, never string vs number.</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        var ka = Kind(a);
        var kb = Kind(b);
        if (IsNumeric(ka) && IsNumeric(kb))
        {
            return NumericEquals(a!, b!);
        }

        if (ka != kb)
        {
            return false;
        }

        switch (ka)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                return string.Equals(a!.GetValue<string>(), b!.GetValue<string>(), StringComparison.Ordinal);
            case JsonValueKind.Object:
                var oa = a!.AsObject();
                var ob = b!.AsObject();
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !Equal(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                var la = a!.AsArray();
                var lb = b!.AsArray();
                if (la.Count != lb.Count)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!Equal(la[i], lb[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Python <c>str(value)</c>: strings as they are, integers in decimal, <c>True</c>/<c>False</c>,
    /// <c>None</c>, containers as their <c>repr</c>.</summary>
    public static string Str(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.String => node!.GetValue<string>(),
        _ => Repr(node),
    };

    /// <summary>Python <c>repr(value)</c>.</summary>
    public static string Repr(JsonNode? node)
    {
        switch (Kind(node))
        {
            case JsonValueKind.Null:
                return "None";
            case JsonValueKind.True:
                return "True";
            case JsonValueKind.False:
                return "False";
            case JsonValueKind.Number:
                return NumberText(node!);
            case JsonValueKind.String:
                return ReprString(node!.GetValue<string>());
            case JsonValueKind.Array:
                return "[" + string.Join(", ", node!.AsArray().Select(Repr)) + "]";
            case JsonValueKind.Object:
                return "{" + string.Join(", ", node!.AsObject().Select(p => ReprString(p.Key) + ": " + Repr(p.Value))) + "}";
            default:
                return node!.ToJsonString();
        }
    }

    /// <summary>Python <c>json.dumps(value)</c> with default arguments: <c>", "</c> and <c>": "</c> separators,
    /// ASCII-only output with lower-case <c>\uXXXX</c> escapes, keys in their given order.</summary>
    public static string JsonDumps(JsonNode? node)
    {
        var builder = new StringBuilder();
        Dump(node, builder);
        return builder.ToString();
    }

    /// <summary>Python <c>json.loads(text)</c> once; on a parse failure the raw text (Python keeps the string).</summary>
    public static JsonNode? LoadsOrRaw(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>Compact JSON text of a value, relaxed escaping (what the runner sends as an invoke payload).</summary>
    public static string ToJson(JsonNode? node) =>
        node is null ? "null" : node.ToJsonString(new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

    private static bool IsNumeric(JsonValueKind kind) =>
        kind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static bool NumericEquals(JsonNode a, JsonNode b)
    {
        var (da, fa) = ToNumber(a);
        var (db, fb) = ToNumber(b);
        if (da is { } x && db is { } y)
        {
            return x == y;
        }

        return fa.Equals(fb);
    }

    private static (decimal? Exact, double Approx) ToNumber(JsonNode node)
    {
        switch (Kind(node))
        {
            case JsonValueKind.True:
                return (1m, 1d);
            case JsonValueKind.False:
                return (0m, 0d);
        }

        var text = node.ToJsonString();
        var exact = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (decimal?)null;
        var approx = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return (exact, approx);
    }

    private static string NumberText(JsonNode node)
    {
        var text = node.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            || System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return text;
        }

        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return FloatRepr(value);
    }

    private static string FloatRepr(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-inf";
        }

        if (double.IsNaN(value))
        {
            return "nan";
        }

        var r = value.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            // Python: 1e+20, 1.5e-07
            var parts = r.Split('E');
            var exponent = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return parts[0] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        return r.Contains('.') ? r : r + ".0";
    }

    private static string ReprString(string value)
    {
        var quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var builder = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append(quote).ToString();
    }

    private static void Dump(JsonNode? node, StringBuilder builder)
    {
        switch (Kind(node))
        {
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Number:
                var text = NumberText(node!);
                builder.Append(text switch { "inf" => "Infinity", "-inf" => "-Infinity", "nan" => "NaN", _ => text });
                break;
            case JsonValueKind.String:
                DumpString(node!.GetValue<string>(), builder);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in node!.AsArray())
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    Dump(item, builder);
                }

                builder.Append(']');
                break;
            case JsonValueKind.Object:
                builder.Append('{');
                var firstKey = true;
                foreach (var (key, value) in node!.AsObject())
                {
                    if (!firstKey)
                    {
                        builder.Append(", ");
                    }

                    firstKey = false;
                    DumpString(key, builder);
                    builder.Append(": ");
                    Dump(value, builder);
                }

                builder.Append('}');
                break;
            default:
                builder.Append(node!.ToJsonString());
                break;
        }
    }

    private static void DumpString(string value, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        if (c == 0x7f)
                        {
                            builder.Append(c); // DEL is ASCII: json.dumps leaves it as it is
                        }
                        else
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
