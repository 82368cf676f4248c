using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace DurableGen.Execution;

/// <summary>
/// Allocates positional operation ids for one context: the n-th durable call of a context whose prefix is <c>p</c>
/// gets <c>hex(SHA-256(p + n))</c>, the official .NET SDK's scheme, so ids equal that SDK's for the same program shape.
/// Ids already computed in this process come from <see cref="OperationIdCache"/>: replay then hashes nothing.
/// </summary>
internal sealed class OperationIdGenerator
{
    private readonly string _prefix;
    private readonly OperationIdCache.Table? _cache;
    private int _counter;

    private OperationIdGenerator(string prefix, string? parentId)
    {
        _prefix = prefix;
        ParentId = parentId;
        _cache = OperationIdCache.For(prefix);
    }

    /// <summary>The generator of the root context.</summary>
    public static OperationIdGenerator CreateRoot() => new("", null);

    /// <summary>The parent id stamped on every update this context writes (<c>null</c> at the root).</summary>
    public string? ParentId { get; }

    /// <summary>Allocates the next id.</summary>
    public string Next()
    {
        var position = Interlocked.Increment(ref _counter);
        if (_cache?.Get(position) is { } cached)
        {
            return cached;
        }

        var id = Hash(_prefix, "", position);
        _cache?.Set(position, id);
        return id;
    }

    /// <summary>The id the n-th (1-based) child of this context would get, without allocating it.</summary>
    public static string ChildId(string operationId, int position) => Hash(operationId, "-", position);

    /// <summary>The generator of a child context owned by <paramref name="operationId"/>.</summary>
    public static OperationIdGenerator ForChild(string operationId) => new(operationId + "-", operationId);

    /// <summary>
    /// The generator of a flat (virtual) child: ids still hash under the owning id, so siblings never collide, but
    /// updates report <paramref name="reportedParentId"/>, the nearest context that has a record.
    /// </summary>
    public static OperationIdGenerator ForVirtualChild(string operationId, string? reportedParentId) =>
        new(operationId + "-", reportedParentId);

    /// <summary>
    /// <see cref="Hash(string)"/> of <paramref name="prefix"/> + <paramref name="separator"/> + the decimal
    /// <paramref name="position"/>, without building that string.
    /// </summary>
    private static string Hash(string prefix, string separator, int position)
    {
        var length = prefix.Length + separator.Length + 11;
        if (length > 128)
        {
            return Hash(prefix + separator + position.ToString(CultureInfo.InvariantCulture));
        }

        Span<char> raw = stackalloc char[128];
        prefix.AsSpan().CopyTo(raw);
        separator.AsSpan().CopyTo(raw[prefix.Length..]);
        var used = prefix.Length + separator.Length;
        position.TryFormat(raw[used..], out var digits, default, CultureInfo.InvariantCulture);
        return Hash(raw[..(used + digits)]);
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="rawId"/>.</summary>
    public static string Hash(string rawId) => Hash(rawId.AsSpan());

    private static string Hash(ReadOnlySpan<char> rawId)
    {
        // Every durable call hashes its id, on every replay: no intermediate arrays or strings.
        var length = Encoding.UTF8.GetMaxByteCount(rawId.Length);
        byte[]? rented = null;
        Span<byte> utf8 = length <= 256 ? stackalloc byte[256] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(rawId, utf8)], hash);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return LowerHex(hash);
    }

    private static string LowerHex(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
            chars[2 * i + 1] = "0123456789abcdef"[bytes[i] & 0xF];
        }

        return new string(chars);
    }
}
