using System;
using System.Security.Cryptography;
using System.Text;

namespace DurableGen.Emulator.Engine;

/// <summary>The X-Ray trace header an invocation of a durable execution carries (see
/// <see cref="PendingInvocation.TraceHeader"/>), and so the trace id of every invocation of the execution.</summary>
public static class InvocationTraceHeader
{
    /// <summary>The trace id (32 lower-case hex digits) of every invocation of <paramref name="executionArn"/>: the
    /// first 16 bytes of SHA-256(ARN).</summary>
    public static string TraceIdOf(string executionArn)
    {
        ArgumentNullException.ThrowIfNull(executionArn);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(executionArn)).AsSpan(0, 16)).ToLowerInvariant();
    }

    /// <summary><c>Root=1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy</c> from <see cref="TraceIdOf"/>, a random <c>Parent</c>,
    /// sampled.</summary>
    public static string For(string executionArn)
    {
        var root = TraceIdOf(executionArn);
        Span<byte> parent = stackalloc byte[8];
        RandomNumberGenerator.Fill(parent);
        return $"Root=1-{root[..8]}-{root[8..]};Parent={Convert.ToHexString(parent).ToLowerInvariant()};Sampled=1";
    }
}
