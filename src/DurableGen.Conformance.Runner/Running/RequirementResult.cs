using System;
using System.Collections.Generic;

namespace DurableGen.Conformance.Running;

/// <summary>The statuses of the Python runner.</summary>
public static class ConformanceStatus
{
    /// <summary>Every check passed.</summary>
    public const string Passed = "PASSED";

    /// <summary>A check failed.</summary>
    public const string Failed = "FAILED";

    /// <summary>A check failed on an <c>optional: true</c> requirement (non-blocking).</summary>
    public const string OptionalFailed = "OPTIONAL_FAILED";

    /// <summary>No handler, but a declared gap with a reason.</summary>
    public const string NotImplemented = "NOT_IMPLEMENTED";

    /// <summary>No handler and no declaration.</summary>
    public const string Uncovered = "UNCOVERED";
}

/// <summary>The outcome of one requirement.</summary>
public sealed class RequirementResult
{
    /// <summary>Requirement id.</summary>
    public required string Id { get; init; }

    /// <summary>Suite (folder name).</summary>
    public required string Suite { get; init; }

    /// <summary>The requirement's description.</summary>
    public string? Description { get; init; }

    /// <summary>The handler class (the "function" of the Python report), when there is one.</summary>
    public string? Function { get; init; }

    /// <summary>One of <see cref="ConformanceStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Reason for NOT_IMPLEMENTED / UNCOVERED, or a summary of the failure.</summary>
    public string? Reason { get; init; }

    /// <summary><c>optional: true</c>.</summary>
    public bool Optional { get; init; }

    /// <summary>Every error found, in stage order.</summary>
    public IReadOnlyList<string> Errors { get; init; } = Array.Empty<string>();

    /// <summary>Non-fatal notes (stale declarations …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>Wall-clock time spent.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Virtual time that elapsed on the requirement's clock.</summary>
    public double VirtualSeconds { get; init; }

    /// <summary>The seed of <c>${GEN_STR}</c> values, to replay a run.</summary>
    public int Seed { get; init; }

    /// <summary>The saved history, when artifacts were written.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>The execution ARN, when an execution was started.</summary>
    public string? ExecutionArn { get; init; }

    /// <summary>Invocations the engine ran.</summary>
    public int Invocations { get; init; }

    /// <summary>True for PASSED.</summary>
    public bool IsPass => Status == ConformanceStatus.Passed;
}
