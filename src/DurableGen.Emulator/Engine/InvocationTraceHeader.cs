using System;
using System.Security.Cryptography;
using System.Text;

namespace DurableGen.Emulator.Engine;

/// <summary>The X-Ray trace header an invocation of a durable execution carries (see
/// <see cref="PendingInvocation.TraceHeader"/>).</summary>
internal static class InvocationTraceHeader
{
    /// <summary><c>Root=1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy</c> from the first 16 bytes of SHA-256(ARN), a random
    /// <c>Parent</c>, sampled.</summary>
    public static string For(string executionArn)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(executionArn), hash);
        var root = Convert.ToHexString(hash[..16]).ToLowerInvariant();
        Span<byte> parent = stackalloc byte[8];
        RandomNumberGenerator.Fill(parent);
        return $"Root=1-{root[..8]}-{root[8..]};Parent={Convert.ToHexString(parent).ToLowerInvariant()};Sampled=1";
    }
}
