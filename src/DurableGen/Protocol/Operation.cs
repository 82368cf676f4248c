using System;

namespace DurableGen.Protocol;

/// <summary>The service's record of one durable operation, as the function reads it back on replay.</summary>
public sealed class Operation
{
    /// <summary>The operation id (SHA-256 of the positional path for operations DurableGen creates).</summary>
    public string Id { get; set; } = "";

    /// <summary>The id of the enclosing context, absent at the root.</summary>
    public string? ParentId { get; set; }

    /// <summary>The name given by the workflow, if any.</summary>
    public string? Name { get; set; }

    /// <summary>The operation type.</summary>
    public OperationType Type { get; set; }

    /// <summary>The SDK's sub-kind (<c>Step</c>, <c>WaitForCallback</c>, <c>RunInChildContext</c>, …).</summary>
    public string? SubType { get; set; }

    /// <summary>When the operation was created.</summary>
    public DateTimeOffset? StartTimestamp { get; set; }

    /// <summary>When the operation reached a terminal status.</summary>
    public DateTimeOffset? EndTimestamp { get; set; }

    /// <summary>The current status.</summary>
    public OperationStatus Status { get; set; }

    /// <summary>Details of an <see cref="OperationType.Execution"/> record.</summary>
    public ExecutionDetails? ExecutionDetails { get; set; }

    /// <summary>Details of a <see cref="OperationType.Context"/> record.</summary>
    public ContextDetails? ContextDetails { get; set; }

    /// <summary>Details of a <see cref="OperationType.Step"/> record.</summary>
    public StepDetails? StepDetails { get; set; }

    /// <summary>Details of a <see cref="OperationType.Wait"/> record.</summary>
    public WaitDetails? WaitDetails { get; set; }

    /// <summary>Details of a <see cref="OperationType.Callback"/> record.</summary>
    public CallbackDetails? CallbackDetails { get; set; }

    /// <summary>Details of a <see cref="OperationType.ChainedInvoke"/> record.</summary>
    public ChainedInvokeDetails? ChainedInvokeDetails { get; set; }

    /// <summary>Whether the status is one a record never leaves (succeeded, failed, cancelled, stopped, timed out).</summary>
    public static bool IsTerminal(OperationStatus status) => status is OperationStatus.Succeeded or OperationStatus.Failed
        or OperationStatus.Cancelled or OperationStatus.Stopped or OperationStatus.TimedOut;

    /// <summary>A deep copy, so a store can hand records out without sharing mutable state.</summary>
    public Operation Clone() => new()
    {
        Id = Id,
        ParentId = ParentId,
        Name = Name,
        Type = Type,
        SubType = SubType,
        StartTimestamp = StartTimestamp,
        EndTimestamp = EndTimestamp,
        Status = Status,
        ExecutionDetails = ExecutionDetails is null ? null : new() { InputPayload = ExecutionDetails.InputPayload },
        ContextDetails = ContextDetails is null ? null : new()
        {
            ReplayChildren = ContextDetails.ReplayChildren, Result = ContextDetails.Result, Error = ContextDetails.Error,
        },
        StepDetails = StepDetails is null ? null : new()
        {
            Attempt = StepDetails.Attempt, NextAttemptTimestamp = StepDetails.NextAttemptTimestamp,
            Result = StepDetails.Result, Error = StepDetails.Error,
        },
        WaitDetails = WaitDetails is null ? null : new() { ScheduledEndTimestamp = WaitDetails.ScheduledEndTimestamp },
        CallbackDetails = CallbackDetails is null ? null : new()
        {
            CallbackId = CallbackDetails.CallbackId, Result = CallbackDetails.Result, Error = CallbackDetails.Error,
        },
        ChainedInvokeDetails = ChainedInvokeDetails is null ? null : new()
        {
            Result = ChainedInvokeDetails.Result, Error = ChainedInvokeDetails.Error,
        },
    };
}

/// <summary>Details of the execution record.</summary>
public sealed class ExecutionDetails
{
    /// <summary>The execution's input, as the JSON text it was started with.</summary>
    public string? InputPayload { get; set; }
}

/// <summary>Details of a context record.</summary>
public sealed class ContextDetails
{
    /// <summary>Whether the context's children stay in the replay state after it completes.</summary>
    public bool? ReplayChildren { get; set; }

    /// <summary>The serialized result.</summary>
    public string? Result { get; set; }

    /// <summary>The error the context failed with.</summary>
    public ErrorObject? Error { get; set; }
}

/// <summary>Details of a step record.</summary>
public sealed class StepDetails
{
    /// <summary>The number of attempts that have finished.</summary>
    public int? Attempt { get; set; }

    /// <summary>When a pending step becomes ready for its next attempt.</summary>
    public DateTimeOffset? NextAttemptTimestamp { get; set; }

    /// <summary>The serialized result of the latest SUCCEED or RETRY.</summary>
    public string? Result { get; set; }

    /// <summary>The error of the latest FAIL or RETRY.</summary>
    public ErrorObject? Error { get; set; }
}

/// <summary>Details of a wait record.</summary>
public sealed class WaitDetails
{
    /// <summary>When the wait elapses.</summary>
    public DateTimeOffset? ScheduledEndTimestamp { get; set; }
}

/// <summary>Details of a callback record.</summary>
public sealed class CallbackDetails
{
    /// <summary>The id an external system uses to complete the callback.</summary>
    public string? CallbackId { get; set; }

    /// <summary>The result text the external system sent.</summary>
    public string? Result { get; set; }

    /// <summary>The error the external system sent, or the service's timeout error.</summary>
    public ErrorObject? Error { get; set; }
}

/// <summary>Details of a chained-invoke record.</summary>
public sealed class ChainedInvokeDetails
{
    /// <summary>The invoked function's serialized result.</summary>
    public string? Result { get; set; }

    /// <summary>The invoked function's error.</summary>
    public ErrorObject? Error { get; set; }
}
