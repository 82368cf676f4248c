using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DurableGen.LocalService.Traces;

/// <summary>
/// Decodes an OTLP/JSON <c>ExportTraceServiceRequest</c> (protocol <c>http/json</c>): the protobuf JSON mapping with
/// the OTLP rules — trace and span ids as hex strings, enums as numbers (names are accepted too), 64-bit integers as
/// strings or numbers, field names in lowerCamelCase (the proto's snake_case names are accepted too). A body that is
/// not such JSON is an <see cref="InvalidDataException"/> (answered 400).
/// </summary>
internal static class OtlpJsonReader
{
    public static OtlpBatch Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("The body is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("An ExportTraceServiceRequest is a JSON object.");
            }

            var batch = new OtlpBatch();
            foreach (var resourceSpans in Array(root, "resourceSpans"))
            {
                string? service = null;
                if (Get(resourceSpans, "resource") is { ValueKind: JsonValueKind.Object } resource)
                {
                    service = Array(resource, "attributes").Select(a => KeyValue(a, 0)).FirstOrDefault(a => a.Key == "service.name")?.Value;
                }

                foreach (var scopeSpans in Array(resourceSpans, "scopeSpans"))
                {
                    var scope = Get(scopeSpans, "scope") is { ValueKind: JsonValueKind.Object } s ? Text(s, "name") : null;
                    foreach (var span in Array(scopeSpans, "spans"))
                    {
                        ReadSpan(span, scope, service, batch);
                    }
                }
            }

            return batch;
        }
    }

    private static void ReadSpan(JsonElement span, string? scope, string? service, OtlpBatch batch)
    {
        if (span.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("A span is a JSON object.");
        }

        var traceId = Id(Text(span, "traceId"), 32);
        var spanId = Id(Text(span, "spanId"), 16);
        if (traceId is null)
        {
            batch.Reject("A span's traceId is not 32 hex digits, or is all zero.");
            return;
        }

        if (spanId is null)
        {
            batch.Reject("A span's spanId is not 16 hex digits, or is all zero.");
            return;
        }

        string status = "UNSET";
        string? statusMessage = null;
        if (Get(span, "status") is { ValueKind: JsonValueKind.Object } statusElement)
        {
            status = Enum(Get(statusElement, "code"), "STATUS_CODE_", OtlpProtobufReader.StatusName);
            statusMessage = Text(statusElement, "message");
        }

        batch.Spans.Add(new TraceSpan
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = Id(Text(span, "parentSpanId"), 16),
            Name = Text(span, "name") ?? "",
            Kind = Enum(Get(span, "kind"), "SPAN_KIND_", OtlpProtobufReader.KindName),
            StartUnixNano = Unsigned(Get(span, "startTimeUnixNano")),
            EndUnixNano = Unsigned(Get(span, "endTimeUnixNano")),
            Attributes = Array(span, "attributes").Select(a => KeyValue(a, 0)).ToList(),
            EventCount = Array(span, "events").Count(),
            Status = status,
            StatusMessage = string.IsNullOrEmpty(statusMessage) ? null : statusMessage,
            Scope = scope,
            Service = service,
        });
    }

    /// <summary>A member by its lowerCamelCase name, or by the proto's snake_case name.</summary>
    private static JsonElement? Get(JsonElement element, string camelName)
    {
        if (element.TryGetProperty(camelName, out var value))
        {
            return value;
        }

        var snake = string.Concat(camelName.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
        return element.TryGetProperty(snake, out value) ? value : null;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) => Get(element, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => [],
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray(),
        _ => throw new InvalidDataException($"'{name}' must be an array."),
    };

    private static string? Text(JsonElement element, string name) => Get(element, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        _ => throw new InvalidDataException($"'{name}' must be a string."),
    };

    private static string? Id(string? hex, int length)
    {
        if (hex is null || hex.Length != length || !hex.All(char.IsAsciiHexDigit) || hex.All(c => c == '0'))
        {
            return null;
        }

        return hex.ToLowerInvariant();
    }

    private static ulong Unsigned(JsonElement? element)
    {
        switch (element)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return 0;
            case { ValueKind: JsonValueKind.Number } number when number.TryGetUInt64(out var n):
                return n;
            case { ValueKind: JsonValueKind.String } text
                when ulong.TryParse(text.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                return n;
            default:
                throw new InvalidDataException("A time in unix nanoseconds must be a non-negative integer (number or string).");
        }
    }

    private static string Enum(JsonElement? element, string prefix, Func<ulong, string> name)
    {
        switch (element)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return name(0);
            case { ValueKind: JsonValueKind.Number } number when number.TryGetUInt64(out var n):
                return name(n);
            case { ValueKind: JsonValueKind.String } text when text.GetString() is { } value && value.StartsWith(prefix, StringComparison.Ordinal):
                return value[prefix.Length..];
            default:
                throw new InvalidDataException($"An enum value must be a number or a {prefix}* name.");
        }
    }

    private static SpanAttribute KeyValue(JsonElement element, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("An attribute is a JSON object with key and value.");
        }

        return new SpanAttribute
        {
            Key = Text(element, "key") ?? "",
            Value = Get(element, "value") is { ValueKind: JsonValueKind.Object } value ? AnyValue(value, depth + 1) : "",
        };
    }

    private static string AnyValue(JsonElement value, int depth)
    {
        if (depth > ProtoReader.MaxDepth)
        {
            throw new InvalidDataException("An attribute value nests too deeply.");
        }

        foreach (var member in value.EnumerateObject())
        {
            switch (member.Name)
            {
                case "stringValue" or "string_value":
                    return member.Value.GetString() ?? "";
                case "boolValue" or "bool_value":
                    return member.Value.ValueKind == JsonValueKind.True ? "true" : "false";
                case "intValue" or "int_value":
                    return member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() ?? "" : member.Value.GetRawText();
                case "doubleValue" or "double_value":
                    return member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() ?? "" : member.Value.GetRawText();
                case "bytesValue" or "bytes_value":
                    return member.Value.GetString() ?? "";
                case "arrayValue" or "array_value":
                    return "[" + string.Join(", ", Array(member.Value, "values").Select(v => AnyValue(v, depth + 1))) + "]";
                case "kvlistValue" or "kvlist_value":
                    return "{" + string.Join(", ", Array(member.Value, "values").Select(kv => KeyValue(kv, depth + 1)).Select(kv => kv.Key + ": " + kv.Value)) + "}";
            }
        }

        return "";
    }
}
