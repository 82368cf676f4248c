using System;

namespace DurableGen.Emulator.Engine;

/// <summary>Settings of a <see cref="DurableExecutionEngine"/>.</summary>
public sealed class EngineOptions
{
    /// <summary>The region written into ARNs.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The 12-digit account id written into ARNs.</summary>
    public string AccountId { get; set; } = "123456789012";

    /// <summary>The partition written into ARNs.</summary>
    public string Partition { get; set; } = "aws";

    /// <summary>The execution timeout used when neither a start request nor the function gives one (seconds, 1 … 31,622,400).</summary>
    public int DefaultExecutionTimeoutSeconds { get; set; } = 86400;

    /// <summary>
    /// Looks a function up by name: its aliases (a start or chained invoke through one runs <c>$LATEST</c>) and its
    /// execution timeout. Null (the default) accepts every function with version qualifiers only. A host that knows its
    /// functions (the local service, from the template) returns null for a name it does not know, which then takes any
    /// alias; an alias a known function lacks is <c>ResourceNotFoundException</c>.
    /// </summary>
    public Func<string, FunctionConfiguration?>? FunctionLookup { get; set; }

    /// <summary>Failed invocations in a row after which the execution fails (protocol §5.4).</summary>
    public int MaxConsecutiveInvocationFailures { get; set; } = 5;

    /// <summary>Most operation records in the invocation envelope's first page.</summary>
    public int EnvelopeMaxOperations { get; set; } = 1000;

    /// <summary>Most bytes of serialized operation records in one envelope or state page (at least one record is
    /// always sent).</summary>
    public int MaxPageBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Longest accepted payload/result text in characters.</summary>
    public int MaxPayloadCharacters { get; set; } = 6_291_456;

    /// <summary>Largest accepted callback success result in UTF-8 bytes.</summary>
    public int MaxCallbackResultBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest accepted serialized error object in bytes (must be smaller).</summary>
    public int MaxErrorBytes { get; set; } = 32_768;

    /// <summary>How long a <c>ClientToken</c> replays the cached checkpoint response.</summary>
    public TimeSpan ClientTokenWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Creates the unique ids the engine needs (execution ids, generated names, request ids, callback
    /// nonces). Replace it for deterministic ids; it must return 1–64 characters of <c>[a-zA-Z0-9-_]</c>.</summary>
    public Func<string> IdFactory { get; set; } = static () => Guid.NewGuid().ToString();
}
