using System;
using System.IO;
using System.Linq;
using System.Text;
using DurableGen.LocalService.Traces;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The hand-written OTLP protobuf reader on bodies encoded here field by field: every attribute value kind,
/// fields in any order, unknown fields skipped; and on thousands of corrupted copies, which it either reads or refuses
/// as <see cref="InvalidDataException"/> (a 400), never anything else.</summary>
public sealed class OtlpProtobufReaderTests
{
    [Fact]
    public void Every_value_kind_is_read_in_any_field_order_and_unknown_fields_are_skipped()
    {
        var batch = OtlpProtobufReader.Read(Request());

        Assert.Equal(0, batch.Rejected);
        var span = Assert.Single(batch.Spans);
        Assert.Equal("0102030405060708090a0b0c0d0e0f10", span.TraceId);
        Assert.Equal("1112131415161718", span.SpanId);
        Assert.Equal("2122232425262728", span.ParentSpanId);
        Assert.Equal("charge attempt 2", span.Name);
        Assert.Equal("CONSUMER", span.Kind);
        Assert.Equal(1_700_000_000_000_000_000UL, span.StartUnixNano);
        Assert.Equal(1_700_000_000_250_000_000UL, span.EndUnixNano);
        Assert.Equal("ERROR", span.Status);
        Assert.Equal("declined", span.StatusMessage);
        Assert.Equal("scope-a", span.Scope);
        Assert.Equal("svc", span.Service); // the resource came after the scope spans on the wire
        Assert.Equal(2, span.EventCount);
        Assert.Equal(new[] { "s=text", "b=true", "i=-5", "d=2.5", "a=[x, 7]", "m={k: v}", "y=AQI=" },
            span.Attributes.Select(a => a.Key + "=" + a.Value));
    }

    [Fact]
    public void Invalid_ids_are_refused_as_partial_success_and_the_other_spans_kept()
    {
        var good = Span(Bytes(1, Range(1, 16)), Bytes(2, Range(17, 8)), Text(5, "good"));
        var shortTrace = Span(Bytes(1, Range(1, 8)), Bytes(2, Range(17, 8)), Text(5, "short"));
        var zeroSpan = Span(Bytes(1, Range(1, 16)), Bytes(2, new byte[8]), Text(5, "zero"));
        var batch = OtlpProtobufReader.Read(Message(1, Message(2, Concat(Message(2, good), Message(2, shortTrace), Message(2, zeroSpan)))));

        Assert.Equal("good", Assert.Single(batch.Spans).Name);
        Assert.Equal(2, batch.Rejected);
        Assert.Contains("trace_id", batch.RejectReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupted_bodies_are_read_or_refused_as_invalid_data_never_anything_else()
    {
        var body = Request();
        var random = new Random(18);
        var refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var copy = (byte[])body.Clone();
            switch (i % 3)
            {
                case 0:
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    copy = copy[..random.Next(copy.Length)];
                    break;
                default:
                    for (var j = 0; j < 4; j++)
                    {
                        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
            }

            try
            {
                OtlpProtobufReader.Read(copy);
            }
            catch (InvalidDataException)
            {
                refused++;
            }
        }

        Assert.InRange(refused, 1, 19_999); // some corruptions still decode (a changed byte inside a string), most do not
    }

    /// <summary>ExportTraceServiceRequest { resource_spans { scope_spans { scope, span }, resource } }.</summary>
    private static byte[] Request()
    {
        var attributes = Concat(
            Message(9, KeyValue("s", Text(1, "text"))),
            Message(9, KeyValue("b", Varint(2, 1))),
            Message(9, KeyValue("i", Varint(3, unchecked((ulong)-5L)))),
            Message(9, KeyValue("d", Fixed64(4, BitConverter.DoubleToUInt64Bits(2.5)))),
            Message(9, KeyValue("a", Message(5, Concat(Message(1, Text(1, "x")), Message(1, Varint(3, 7)))))),
            Message(9, KeyValue("m", Message(6, Message(1, KeyValue("k", Text(1, "v")))))),
            Message(9, KeyValue("y", Bytes(7, [1, 2]))));
        var span = Span(
            Varint(99, 12345), // unknown fields, skipped
            Fixed64(8, 1_700_000_000_250_000_000UL),
            Text(5, "charge attempt 2"),
            Bytes(1, Range(1, 16)),
            Bytes(2, Range(0x11, 8)),
            Bytes(4, Range(0x21, 8)),
            Varint(6, 5),
            Fixed64(7, 1_700_000_000_000_000_000UL),
            attributes,
            Message(11, Text(2, "event one")),
            Message(11, Text(2, "event two")),
            Message(15, Concat(Text(2, "declined"), Varint(3, 2))),
            [0x85, 0x06, 1, 2, 3, 4]); // field 96, fixed32
        var scopeSpans = Concat(Message(1, Text(1, "scope-a")), Message(2, span));
        var resource = Message(1, KeyValue("service.name", Text(1, "svc")));
        return Message(1, Concat(Message(2, scopeSpans), Message(1, resource)));
    }

    private static byte[] Span(params byte[][] fields) => Concat(fields);

    private static byte[] KeyValue(string key, byte[] anyValue) => Concat(Text(1, key), Message(2, anyValue));

    private static byte[] Range(int first, int count) => Enumerable.Range(first, count).Select(b => (byte)b).ToArray();

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Message(int field, byte[] value) => Bytes(field, value);

    private static byte[] Bytes(int field, byte[] value) => Concat(Key(field, 2), VarintBytes((ulong)value.Length), value);

    private static byte[] Varint(int field, ulong value) => Concat(Key(field, 0), VarintBytes(value));

    private static byte[] Fixed64(int field, ulong value) => Concat(Key(field, 1), BitConverter.GetBytes(value));

    private static byte[] Key(int field, int wireType) => VarintBytes((ulong)(field << 3 | wireType));

    private static byte[] VarintBytes(ulong value)
    {
        var bytes = new System.Collections.Generic.List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return bytes.ToArray();
    }
}
