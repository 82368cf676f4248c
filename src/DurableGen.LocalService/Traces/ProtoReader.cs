using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace DurableGen.LocalService.Traces;

/// <summary>
/// Reads the protocol-buffers wire format field by field: a key (field number and wire type), then the value its wire
/// type says. Unknown fields are skipped, so newer OTLP messages still read. Anything truncated or malformed is an
/// <see cref="InvalidDataException"/> (answered 400).
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>Deeper than any OTLP message nests (AnyValue arrays and maps inside each other).</summary>
    public const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>The field number of the field just read by <see cref="Next"/>.</summary>
    public int Field { get; private set; }

    /// <summary>The wire type of the field just read: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.</summary>
    public int WireType { get; private set; }

    /// <summary>Reads the next key; false at the end of the message.</summary>
    public bool Next()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        var key = Varint();
        Field = (int)(key >> 3);
        WireType = (int)(key & 7);
        if (Field == 0 || key >> 3 > int.MaxValue)
        {
            throw new InvalidDataException("A protobuf field number is 0 or out of range.");
        }

        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new InvalidDataException("A protobuf varint is truncated.");
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("A protobuf varint is longer than 10 bytes.");
    }

    public ulong Fixed64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public uint Fixed32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_position, 4));
        _position += 4;
        return value;
    }

    /// <summary>A length-delimited value: bytes, a string or an embedded message.</summary>
    public ReadOnlySpan<byte> Bytes()
    {
        var length = Varint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new InvalidDataException("A protobuf length-delimited field runs past the end of its message.");
        }

        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public string String()
    {
        try
        {
            return Http.HttpIo.StrictUtf8.GetString(Bytes());
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException("A protobuf string is not valid UTF-8.");
        }
    }

    /// <summary>The value of the current field as an unsigned integer, whatever integer wire type carries it.</summary>
    public ulong Integer() => WireType switch
    {
        0 => Varint(),
        1 => Fixed64(),
        5 => Fixed32(),
        _ => throw new InvalidDataException($"Field {Field} should be an integer, not wire type {WireType}."),
    };

    /// <summary>The value of the current field as an embedded message or bytes (wire type 2 required).</summary>
    public ReadOnlySpan<byte> Message()
    {
        if (WireType != 2)
        {
            throw new InvalidDataException($"Field {Field} should be length-delimited, not wire type {WireType}.");
        }

        return Bytes();
    }

    /// <summary>Skips the value of a field this reader does not need.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                Varint();
                break;
            case 1:
                Need(8);
                _position += 8;
                break;
            case 2:
                Bytes();
                break;
            case 5:
                Need(4);
                _position += 4;
                break;
            default:
                throw new InvalidDataException($"Wire type {WireType} (field {Field}) is not one OTLP uses.");
        }
    }

    private readonly void Need(int count)
    {
        if (_data.Length - _position < count)
        {
            throw new InvalidDataException("A protobuf fixed-width field is truncated.");
        }
    }
}
