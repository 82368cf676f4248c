using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace DurableGen.Protocol;

/// <summary>The event the durable execution service invokes a durable function with.</summary>
public sealed class DurableExecutionInvocationInput
{
    /// <summary>The ARN of the execution being run.</summary>
    public required string DurableExecutionArn { get; set; }

    /// <summary>The checkpoint token for this invocation's first checkpoint.</summary>
    public string? CheckpointToken { get; set; }

    /// <summary>The first page of operation records (the execution record first).</summary>
    public InitialExecutionState? InitialExecutionState { get; set; }

    /// <summary>Ids of operations the service changed since the previous invocation (informational).</summary>
    public IReadOnlyList<string>? UpdatedOperationIds { get; set; }
}

/// <summary>The first page of an execution's operation records.</summary>
public sealed class InitialExecutionState
{
    /// <summary>The records, in creation order.</summary>
    public IReadOnlyList<Operation>? Operations { get; set; }

    /// <summary>The marker of the next page; absent or empty when there is none.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>What a durable function returns to the service at the end of an invocation.</summary>
public sealed class DurableExecutionInvocationOutput
{
    /// <summary>Whether the workflow finished, failed, or suspended.</summary>
    public required InvocationStatus Status { get; set; }

    /// <summary>The serialized result (succeeded only; absent for a null result).</summary>
    public string? Result { get; set; }

    /// <summary>The error (failed only).</summary>
    public ErrorObject? Error { get; set; }
}

/// <summary>The outcome of one function invocation, as returned to the service.</summary>
[JsonConverter(typeof(UpperSnakeCaseEnumConverter<InvocationStatus>))]
public enum InvocationStatus
{
    /// <summary>A value this version does not know.</summary>
    Unknown = 0,
    /// <summary><c>SUCCEEDED</c>: the workflow returned.</summary>
    Succeeded,
    /// <summary><c>FAILED</c>: the workflow threw.</summary>
    Failed,
    /// <summary><c>PENDING</c>: the workflow suspended and waits for the service.</summary>
    Pending,
}
