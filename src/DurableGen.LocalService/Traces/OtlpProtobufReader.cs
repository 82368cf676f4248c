using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace DurableGen.LocalService.Traces;

/// <summary>
/// Decodes an OTLP <c>ExportTraceServiceRequest</c> in protobuf (what OpenTelemetry exporters send with protocol
/// <c>http/protobuf</c>), reading only the fields the dashboard shows, by their numbers in
/// opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto. Hand-written on <see cref="ProtoReader"/>: no
/// generated code, no reflection.
/// </summary>
internal static class OtlpProtobufReader
{
    /// <summary>Reads the request; a malformed body is an <see cref="InvalidDataException"/>.</summary>
    public static OtlpBatch Read(ReadOnlySpan<byte> body)
    {
        var batch = new OtlpBatch();
        var request = new ProtoReader(body);
        while (request.Next())
        {
            if (request.Field == 1) // resource_spans
            {
                ReadResourceSpans(request.Message(), batch);
            }
            else
            {
                request.Skip();
            }
        }

        return batch;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> data, OtlpBatch batch)
    {
        // The resource may follow the scope spans on the wire: read it first, then the spans.
        string? service = null;
        var reader = new ProtoReader(data);
        while (reader.Next())
        {
            if (reader.Field == 1) // resource
            {
                var resource = new ProtoReader(reader.Message());
                while (resource.Next())
                {
                    if (resource.Field == 1) // attributes
                    {
                        var attribute = ReadKeyValue(resource.Message(), 0);
                        if (attribute.Key == "service.name")
                        {
                            service = attribute.Value;
                        }
                    }
                    else
                    {
                        resource.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        reader = new ProtoReader(data);
        while (reader.Next())
        {
            if (reader.Field == 2) // scope_spans
            {
                ReadScopeSpans(reader.Message(), service, batch);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadScopeSpans(ReadOnlySpan<byte> data, string? service, OtlpBatch batch)
    {
        string? scope = null;
        var reader = new ProtoReader(data);
        while (reader.Next())
        {
            if (reader.Field == 1) // scope
            {
                var scopeReader = new ProtoReader(reader.Message());
                while (scopeReader.Next())
                {
                    if (scopeReader.Field == 1 && scopeReader.WireType == 2)
                    {
                        scope = scopeReader.String();
                    }
                    else
                    {
                        scopeReader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        reader = new ProtoReader(data);
        while (reader.Next())
        {
            if (reader.Field == 2) // spans
            {
                ReadSpan(reader.Message(), scope, service, batch);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadSpan(ReadOnlySpan<byte> data, string? scope, string? service, OtlpBatch batch)
    {
        ReadOnlySpan<byte> traceId = default, spanId = default, parentId = default;
        string name = "";
        var kind = 0UL;
        ulong start = 0, end = 0;
        var attributes = new List<SpanAttribute>();
        var events = 0;
        var status = 0UL;
        string? statusMessage = null;
        var reader = new ProtoReader(data);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: traceId = reader.Message(); break;
                case 2: spanId = reader.Message(); break;
                case 4: parentId = reader.Message(); break;
                case 5 when reader.WireType == 2: name = reader.String(); break;
                case 6: kind = reader.Integer(); break;
                case 7: start = reader.Integer(); break;
                case 8: end = reader.Integer(); break;
                case 9: attributes.Add(ReadKeyValue(reader.Message(), 0)); break;
                case 11: reader.Skip(); events++; break;
                case 15:
                    var statusReader = new ProtoReader(reader.Message());
                    while (statusReader.Next())
                    {
                        if (statusReader.Field == 2 && statusReader.WireType == 2)
                        {
                            statusMessage = statusReader.String();
                        }
                        else if (statusReader.Field == 3)
                        {
                            status = statusReader.Integer();
                        }
                        else
                        {
                            statusReader.Skip();
                        }
                    }

                    break;
                default: reader.Skip(); break;
            }
        }

        if (!ValidId(traceId, 16))
        {
            batch.Reject("A span's trace_id is not 16 bytes, or is all zero.");
            return;
        }

        if (!ValidId(spanId, 8))
        {
            batch.Reject("A span's span_id is not 8 bytes, or is all zero.");
            return;
        }

        batch.Spans.Add(new TraceSpan
        {
            TraceId = Convert.ToHexStringLower(traceId),
            SpanId = Convert.ToHexStringLower(spanId),
            ParentSpanId = ValidId(parentId, 8) ? Convert.ToHexStringLower(parentId) : null,
            Name = name,
            Kind = KindName(kind),
            StartUnixNano = start,
            EndUnixNano = end,
            Attributes = attributes,
            EventCount = events,
            Status = StatusName(status),
            StatusMessage = string.IsNullOrEmpty(statusMessage) ? null : statusMessage,
            Scope = scope,
            Service = service,
        });
    }

    /// <summary>OTLP's <c>SpanKind</c> numbers.</summary>
    public static string KindName(ulong kind) => kind switch
    {
        1 => "INTERNAL",
        2 => "SERVER",
        3 => "CLIENT",
        4 => "PRODUCER",
        5 => "CONSUMER",
        _ => "UNSPECIFIED",
    };

    /// <summary>OTLP's <c>Status.StatusCode</c> numbers.</summary>
    public static string StatusName(ulong code) => code switch
    {
        1 => "OK",
        2 => "ERROR",
        _ => "UNSET",
    };

    private static bool ValidId(ReadOnlySpan<byte> id, int length) => id.Length == length && id.IndexOfAnyExcept((byte)0) >= 0;

    private static SpanAttribute ReadKeyValue(ReadOnlySpan<byte> data, int depth)
    {
        var key = "";
        var value = "";
        var reader = new ProtoReader(data);
        while (reader.Next())
        {
            if (reader.Field == 1 && reader.WireType == 2)
            {
                key = reader.String();
            }
            else if (reader.Field == 2)
            {
                value = ReadAnyValue(reader.Message(), depth + 1);
            }
            else
            {
                reader.Skip();
            }
        }

        return new SpanAttribute { Key = key, Value = value };
    }

    private static string ReadAnyValue(ReadOnlySpan<byte> data, int depth)
    {
        if (depth > ProtoReader.MaxDepth)
        {
            throw new InvalidDataException("An attribute value nests too deeply.");
        }

        var value = "";
        var reader = new ProtoReader(data);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1 when reader.WireType == 2: value = reader.String(); break;
                case 2: value = reader.Integer() != 0 ? "true" : "false"; break;
                case 3: value = ((long)reader.Integer()).ToString(CultureInfo.InvariantCulture); break;
                case 4 when reader.WireType == 1:
                    value = BitConverter.UInt64BitsToDouble(reader.Fixed64()).ToString("R", CultureInfo.InvariantCulture);
                    break;
                case 5: // array_value: repeated AnyValue values = 1
                {
                    var items = new List<string>();
                    var array = new ProtoReader(reader.Message());
                    while (array.Next())
                    {
                        if (array.Field == 1)
                        {
                            items.Add(ReadAnyValue(array.Message(), depth + 1));
                        }
                        else
                        {
                            array.Skip();
                        }
                    }

                    value = "[" + string.Join(", ", items) + "]";
                    break;
                }

                case 6: // kvlist_value: repeated KeyValue values = 1
                {
                    var entries = new StringBuilder("{");
                    var list = new ProtoReader(reader.Message());
                    while (list.Next())
                    {
                        if (list.Field == 1)
                        {
                            var entry = ReadKeyValue(list.Message(), depth + 1);
                            entries.Append(entries.Length > 1 ? ", " : "").Append(entry.Key).Append(": ").Append(entry.Value);
                        }
                        else
                        {
                            list.Skip();
                        }
                    }

                    value = entries.Append('}').ToString();
                    break;
                }

                case 7: value = Convert.ToBase64String(reader.Message()); break;
                default: reader.Skip(); break;
            }
        }

        return value;
    }
}
