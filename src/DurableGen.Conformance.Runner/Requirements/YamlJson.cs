using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DurableGen.Conformance.Requirements;

/// <summary>
/// Reads YAML into a JSON tree with PyYAML's (YAML 1.1) implicit typing of plain scalars: empty, <c>~</c> and
/// <c>null</c> are null; the YAML 1.1 boolean words are booleans; decimal integers are numbers; everything else is a
/// string. Quoted and block scalars are always strings. Floats, timestamps, non-decimal integers and explicit tags are
/// refused loudly: the requirement suite does not use them, so a future upstream change gets noticed.
/// </summary>
public static class YamlJson
{
    private static readonly Regex NullWords = new("^(?:~|null|Null|NULL|)$", RegexOptions.CultureInvariant);
    private static readonly Regex TrueWords = new("^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$", RegexOptions.CultureInvariant);
    private static readonly Regex FalseWords = new("^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$", RegexOptions.CultureInvariant);
    private static readonly Regex DecimalInt = new("^[-+]?(?:0|[1-9][0-9_]*)$", RegexOptions.CultureInvariant);

    // PyYAML's other implicit resolvers, which this loader refuses.
    private static readonly Regex OtherInt = new(
        "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
        RegexOptions.CultureInvariant);

    private static readonly Regex Float = new(
        @"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        RegexOptions.CultureInvariant);

    private static readonly Regex Timestamp = new(
        @"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        RegexOptions.CultureInvariant);

    /// <summary>Parses the first document of <paramref name="yaml"/>; an empty document is null.</summary>
    /// <exception cref="FormatException">Malformed YAML or a scalar form the loader refuses.</exception>
    public static JsonNode? Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            if (parser.Accept<DocumentEnd>(out _))
            {
                return null;
            }

            return ReadNode(parser, anchors);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"Malformed YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }
    }

    /// <summary>PyYAML's implicit type of one plain scalar.</summary>
    public static JsonNode? PlainScalar(string text)
    {
        if (NullWords.IsMatch(text))
        {
            return null;
        }

        if (TrueWords.IsMatch(text))
        {
            return JsonValue.Create(true);
        }

        if (FalseWords.IsMatch(text))
        {
            return JsonValue.Create(false);
        }

        if (DecimalInt.IsMatch(text))
        {
            var digits = text.Replace("_", "", StringComparison.Ordinal);
            if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return JsonValue.Create(value);
            }

            return JsonNode.Parse(digits.TrimStart('+'));
        }

        if (OtherInt.IsMatch(text))
        {
            throw new FormatException($"Unsupported YAML integer form '{text}' (only decimal integers are read).");
        }

        if (Float.IsMatch(text))
        {
            throw new FormatException($"Unsupported YAML float '{text}' (the conformance suite uses no floats; quote it).");
        }

        if (Timestamp.IsMatch(text))
        {
            throw new FormatException($"Unsupported YAML timestamp '{text}' (quote it to make it a string).");
        }

        if (text is "<<" or "=")
        {
            throw new FormatException($"Unsupported YAML merge/value key '{text}'.");
        }

        return JsonValue.Create(text);
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new FormatException($"Unknown YAML alias *{alias.Value.Value}.");
            }

            return target?.DeepClone();
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            RefuseTag(scalar.Tag, scalar.Start);
            var value = scalar.Style is ScalarStyle.Plain ? PlainScalar(scalar.Value) : JsonValue.Create(scalar.Value);
            Remember(anchors, scalar.Anchor, value);
            return value;
        }

        if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            RefuseTag(sequence.Tag, sequence.Start);
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, anchors));
            }

            Remember(anchors, sequence.Anchor, array);
            return array;
        }

        if (parser.TryConsume<MappingStart>(out var mapping))
        {
            RefuseTag(mapping.Tag, mapping.Start);
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(parser, anchors);
                var value = ReadNode(parser, anchors);
                obj[KeyText(key)] = value; // PyYAML: a repeated key keeps the last value
            }

            Remember(anchors, mapping.Anchor, obj);
            return obj;
        }

        throw new FormatException($"Unexpected YAML event {parser.Current?.GetType().Name ?? "(end)"}.");
    }

    private static string KeyText(JsonNode? key) => key switch
    {
        null => "None",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => Validation.Py.Str(key),
    };

    private static void RefuseTag(TagName tag, Mark start)
    {
        if (!tag.IsEmpty && !tag.IsNonSpecific)
        {
            throw new FormatException($"Unsupported YAML tag {tag.Value} at line {start.Line}.");
        }
    }

    private static void Remember(Dictionary<string, JsonNode?> anchors, AnchorName anchor, JsonNode? value)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = value?.DeepClone();
        }
    }
}
