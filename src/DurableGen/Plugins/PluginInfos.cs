using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>What <see cref="IDurableExecutionPlugin.OnInvocationStart"/> sees.</summary>
public sealed record InvocationStartInfo
{
    /// <summary>The execution.</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>The Lambda request id of the invocation.</summary>
    public required string RequestId { get; init; }

    /// <summary>Whether this is the execution's first invocation (no operation recorded yet).</summary>
    public required bool IsFirstInvocation { get; init; }

    /// <summary>Every operation record loaded, by id (the execution record excluded).</summary>
    public required IReadOnlyDictionary<string, OperationInfo> Operations { get; init; }

    /// <summary>Operations the service changed since the previous invocation (a timer fired, a callback arrived).</summary>
    public required IReadOnlyList<OperationInfo> UpdatedOperations { get; init; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset? ExecutionStartTimestamp { get; init; }

    /// <summary>When this invocation started, on <see cref="Clock"/>.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// The execution's clock (<see cref="DurableExecutionOptions.TimeProvider"/>): the time durable timestamps are on,
    /// virtual in tests that skip time. Hooks without a timestamp of their own read "now" from it.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The invocation's X-Ray trace header (<c>Root=1-…;Parent=…;Sampled=…</c>, Lambda's <c>Lambda-Runtime-Trace-Id</c>),
    /// from <see cref="ILambdaContext.TraceId"/>; null when the host has none.
    /// </summary>
    public string? TraceHeader { get; init; }
}

/// <summary>What <see cref="IDurableExecutionPlugin.OnInvocationEnd"/> sees.</summary>
public sealed record InvocationEndInfo
{
    /// <summary>The execution.</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>The Lambda request id of the invocation.</summary>
    public required string RequestId { get; init; }

    /// <summary>Whether this was the execution's first invocation.</summary>
    public required bool IsFirstInvocation { get; init; }

    /// <summary>Every operation record known at the end, by id.</summary>
    public required IReadOnlyDictionary<string, OperationInfo> Operations { get; init; }

    /// <summary>The invocation's outcome.</summary>
    public required InvocationStatus Status { get; init; }

    /// <summary>Whether the execution finished (succeeded or failed) rather than suspended.</summary>
    public bool IsTerminal => Status is InvocationStatus.Succeeded or InvocationStatus.Failed;

    /// <summary>The execution's error, when it failed.</summary>
    public ErrorObject? ExecutionError { get; init; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset? ExecutionStartTimestamp { get; init; }

    /// <summary>When this invocation ended (every checkpoint flushed), on the execution's clock.</summary>
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>An operation as hooks see it.</summary>
public sealed record OperationInfo
{
    /// <summary>
    /// The execution the operation belongs to: hooks of concurrent executions may reach one plugin instance, and the
    /// operation and user-function hooks say which one they are about.
    /// </summary>
    public string DurableExecutionArn { get; init; } = "";

    /// <summary>The operation id (as in the history).</summary>
    public required string Id { get; init; }

    /// <summary>The name, if any.</summary>
    public string? Name { get; init; }

    /// <summary>The type.</summary>
    public required OperationType Type { get; init; }

    /// <summary>The sub-kind.</summary>
    public string? SubType { get; init; }

    /// <summary>The enclosing context's id.</summary>
    public string? ParentId { get; init; }

    /// <summary>The status, when a record exists.</summary>
    public OperationStatus? Status { get; init; }

    /// <summary>When it started, when a record exists.</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTimestamp { get; init; }

    /// <summary>The checkpointed result text.</summary>
    public string? Result { get; init; }

    /// <summary>The checkpointed error.</summary>
    public ErrorObject? Error { get; init; }

    /// <summary>Finished attempts (steps and condition polls).</summary>
    public int? Attempt { get; init; }

    /// <summary>Whether the operation was recorded by an earlier invocation.</summary>
    public bool IsReplay { get; init; }

    /// <summary>
    /// Whether the operation has no record of its own: a flat (<see cref="NestingType.Flat"/>) child context. Its
    /// start and end hooks are raised only when they happen live (not while replaying), its status on end is
    /// <see cref="OperationStatus.Succeeded"/> or <see cref="OperationStatus.Failed"/> with the timestamps the
    /// runtime observed.
    /// </summary>
    public bool IsVirtual { get; init; }

    internal static OperationInfo From(Operation record, bool isReplay, string executionArn) => new()
    {
        DurableExecutionArn = executionArn,
        Id = record.Id,
        Name = record.Name,
        Type = record.Type,
        SubType = record.SubType,
        ParentId = record.ParentId,
        Status = record.Status,
        StartTimestamp = record.StartTimestamp,
        EndTimestamp = record.EndTimestamp,
        Result = record.StepDetails?.Result ?? record.ContextDetails?.Result ?? record.CallbackDetails?.Result
            ?? record.ChainedInvokeDetails?.Result,
        Error = record.StepDetails?.Error ?? record.ContextDetails?.Error ?? record.CallbackDetails?.Error
            ?? record.ChainedInvokeDetails?.Error,
        Attempt = record.StepDetails?.Attempt,
        IsReplay = isReplay,
    };
}

/// <summary>Which user code a <see cref="UserFunctionInfo"/> is about.</summary>
public enum UserFunctionKind
{
    /// <summary>One attempt of a step body (also a wait-for-callback submitter).</summary>
    StepAttempt,

    /// <summary>The function of a child context, parallel branch or map item.</summary>
    ContextFunction,

    /// <summary>One poll of a wait-for-condition check.</summary>
    ConditionCheck,
}

/// <summary>What the user-function hooks see.</summary>
public sealed record UserFunctionInfo
{
    /// <summary>The operation the code belongs to.</summary>
    public required OperationInfo Operation { get; init; }

    /// <summary>Which kind of user code.</summary>
    public required UserFunctionKind Kind { get; init; }

    /// <summary>The 1-based attempt (steps and condition polls).</summary>
    public int? AttemptNumber { get; init; }

    /// <summary>Whether a context function re-runs so that its recorded children replay.</summary>
    public bool IsReplayingChildren { get; init; }

    /// <summary>On end: whether the code returned.</summary>
    public bool? Succeeded { get; init; }

    /// <summary>On end: the exception it threw.</summary>
    public Exception? Error { get; init; }

    /// <summary>When this run of the code (this attempt) started, on the execution's clock.</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>On end: when the code returned or threw, on the execution's clock.</summary>
    public DateTimeOffset? EndTimestamp { get; init; }
}

/// <summary>What <see cref="IDurableExecutionPlugin.OnOperationChange"/> sees.</summary>
public sealed record OperationChangeInfo
{
    /// <summary>The execution.</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>The operations that changed.</summary>
    public required IReadOnlyList<OperationInfo> UpdatedOperations { get; init; }

    /// <summary>Every operation record now known, by id (a superset of <see cref="UpdatedOperations"/>).</summary>
    public required IReadOnlyDictionary<string, OperationInfo> AllOperations { get; init; }
}
