using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace DurableGen.Execution;

/// <summary>
/// Allocates positional operation ids for one context: the n-th durable call of a context whose prefix is <c>p</c>
/// gets <c>hex(SHA-256(p + n))</c>, the official .NET SDK's scheme, so ids equal that SDK's for the same program shape.
/// </summary>
internal sealed class OperationIdGenerator
{
    private readonly string _prefix;
    private int _counter;

    private OperationIdGenerator(string prefix, string? parentId)
    {
        _prefix = prefix;
        ParentId = parentId;
    }

    /// <summary>The generator of the root context.</summary>
    public static OperationIdGenerator CreateRoot() => new("", null);

    /// <summary>The parent id stamped on every update this context writes (<c>null</c> at the root).</summary>
    public string? ParentId { get; }

    /// <summary>Allocates the next id.</summary>
    public string Next() => Hash(_prefix + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture));

    /// <summary>The id the n-th (1-based) child of this context would get, without allocating it.</summary>
    public static string ChildId(string operationId, int position) =>
        Hash(operationId + "-" + position.ToString(CultureInfo.InvariantCulture));

    /// <summary>The generator of a child context owned by <paramref name="operationId"/>.</summary>
    public static OperationIdGenerator ForChild(string operationId) => new(operationId + "-", operationId);

    /// <summary>
    /// The generator of a flat (virtual) child: ids still hash under the owning id, so siblings never collide, but
    /// updates report <paramref name="reportedParentId"/>, the nearest context that has a record.
    /// </summary>
    public static OperationIdGenerator ForVirtualChild(string operationId, string? reportedParentId) =>
        new(operationId + "-", reportedParentId);

    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="rawId"/>.</summary>
    public static string Hash(string rawId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(rawId), hash);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }
}
