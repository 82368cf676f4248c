using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableGen.Conformance.Validation;

/// <summary>
/// The one placeholder namespace of a requirement run: <c>Variables</c> and every name the history matcher binds
/// (<c>${ID1}</c>, <c>${CB1}</c> …) live here together. Substitution replaces <c>${NAME}</c> inside strings only when
/// NAME is bound; unknown references stay as they are.
/// </summary>
public sealed class PlaceholderContext
{
    /// <summary>The characters of <c>${GEN_STR:N}</c> values.</summary>
    public const string GenStrAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly Regex Reference = new(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant);
    private static readonly Regex GenStr = new(@"^\$\{GEN_STR:(\d+)\}$", RegexOptions.CultureInvariant);

    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);
    private readonly Random _random;

    /// <summary>Creates a context whose <c>GEN_STR</c> values come from <paramref name="seed"/>.</summary>
    public PlaceholderContext(int seed = 0) => _random = new Random(seed);

    /// <summary>Names bound so far, in binding order.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>True when <paramref name="name"/> is bound; <paramref name="value"/> is the bound value.</summary>
    public bool TryGet(string name, out JsonNode? value) => _values.TryGetValue(name, out value);

    /// <summary>True when <paramref name="name"/> is bound.</summary>
    public bool IsBound(string name) => _values.ContainsKey(name);

    /// <summary>Binds <paramref name="name"/> (a copy of <paramref name="value"/>).</summary>
    public void Bind(string name, JsonNode? value) => _values[name] = value?.DeepClone();

    /// <summary>
    /// Evaluates <c>Variables</c>: <c>${GEN_STR:N}</c> becomes N random characters of <c>[a-z0-9]</c>; any other
    /// string is bound as it is; a non-string value is bound as its Python <c>str()</c> text.
    /// </summary>
    public void EvaluateVariables(JsonObject? variables)
    {
        if (variables is null)
        {
            return;
        }

        foreach (var (name, value) in variables)
        {
            if (Py.AsString(value) is { } text)
            {
                var match = GenStr.Match(text);
                Bind(name, JsonValue.Create(match.Success
                    ? Generate(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
                    : text));
            }
            else
            {
                Bind(name, JsonValue.Create(Py.Str(value)));
            }
        }
    }

    /// <summary>Replaces every bound <c>${NAME}</c> inside <paramref name="text"/> with the value's <c>str()</c>.</summary>
    public string SubstituteString(string text) =>
        text.Contains("${", StringComparison.Ordinal)
            ? Reference.Replace(text, m => _values.TryGetValue(m.Groups[1].Value, out var v) ? Py.Str(v) : m.Value)
            : text;

    /// <summary>A substituted copy of <paramref name="node"/>: strings inside mappings and lists are substituted;
    /// numbers, booleans and null pass through.</summary>
    public JsonNode? Substitute(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = Substitute(value);
                }

                return copy;
            case JsonArray array:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    list.Add(Substitute(item));
                }

                return list;
            default:
                return Py.AsString(node) is { } s ? JsonValue.Create(SubstituteString(s)) : node.DeepClone();
        }
    }

    private string Generate(int length)
    {
        var chars = new char[length];
        lock (_random)
        {
            for (var i = 0; i < length; i++)
            {
                chars[i] = GenStrAlphabet[_random.Next(GenStrAlphabet.Length)];
            }
        }

        return new string(chars);
    }
}
