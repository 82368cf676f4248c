using System;
using System.Collections.Generic;

namespace DurableGen.Protocol;

/// <summary>Body of <c>CheckpointDurableExecution</c>; the ARN travels in the path.</summary>
public sealed class CheckpointDurableExecutionRequest
{
    /// <summary>The execution ARN (path member; not serialized in the body by HTTP clients).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>The current checkpoint token.</summary>
    public string CheckpointToken { get; set; } = "";

    /// <summary>The updates, applied atomically in order.</summary>
    public IReadOnlyList<OperationUpdate>? Updates { get; set; }

    /// <summary>Optional idempotency key.</summary>
    public string? ClientToken { get; set; }
}

/// <summary>Response of <c>CheckpointDurableExecution</c>.</summary>
public sealed class CheckpointDurableExecutionResponse
{
    /// <summary>The token for the next checkpoint.</summary>
    public string? CheckpointToken { get; set; }

    /// <summary>Every record that changed since the last response to this invocation.</summary>
    public CheckpointUpdatedExecutionState NewExecutionState { get; set; } = new();
}

/// <summary>Records changed since the previous checkpoint response.</summary>
public sealed class CheckpointUpdatedExecutionState
{
    /// <summary>The changed records, in creation order.</summary>
    public IReadOnlyList<Operation>? Operations { get; set; }

    /// <summary>Never set by the service today.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>Request of <c>GetDurableExecutionState</c> (all members travel in the path and query).</summary>
public sealed class GetDurableExecutionStateRequest
{
    /// <summary>The execution ARN.</summary>
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>The current checkpoint token (read, not consumed).</summary>
    public string CheckpointToken { get; set; } = "";

    /// <summary>The marker of the page to read.</summary>
    public string? Marker { get; set; }

    /// <summary>Page size, 0 … 1000 (0 = the default of 100).</summary>
    public int? MaxItems { get; set; }
}

/// <summary>Response of <c>GetDurableExecutionState</c>.</summary>
public sealed class GetDurableExecutionStateResponse
{
    /// <summary>One page of records, in creation order.</summary>
    public IReadOnlyList<Operation> Operations { get; set; } = Array.Empty<Operation>();

    /// <summary>The marker of the next page, absent on the last one.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>Response of <c>GetDurableExecution</c>.</summary>
public sealed class GetDurableExecutionResponse
{
    /// <summary>The execution ARN.</summary>
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>The execution name.</summary>
    public string DurableExecutionName { get; set; } = "";

    /// <summary>The function ARN (qualified by version).</summary>
    public string FunctionArn { get; set; } = "";

    /// <summary>The input payload.</summary>
    public string? InputPayload { get; set; }

    /// <summary>The result text (succeeded only).</summary>
    public string? Result { get; set; }

    /// <summary>The error (failed, timed out or stopped).</summary>
    public ErrorObject? Error { get; set; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset StartTimestamp { get; set; }

    /// <summary>The execution status.</summary>
    public ExecutionStatus Status { get; set; }

    /// <summary>When the execution closed.</summary>
    public DateTimeOffset? EndTimestamp { get; set; }

    /// <summary>The function version that ran.</summary>
    public string? Version { get; set; }

    /// <summary>The execution's X-Ray trace header.</summary>
    public TraceHeader? TraceHeader { get; set; }

    /// <summary>False when input, result and error were withheld (<c>IncludeExecutionData=false</c>).</summary>
    public bool? ExecutionDataIncluded { get; set; }

    /// <summary>The function's durable configuration.</summary>
    public DurableConfig? DurableConfig { get; set; }
}

/// <summary>Response of <c>GetDurableExecutionHistory</c>.</summary>
public sealed class GetDurableExecutionHistoryResponse
{
    /// <summary>One page of events, oldest first unless reversed.</summary>
    public IReadOnlyList<Event> Events { get; set; } = Array.Empty<Event>();

    /// <summary>The marker of the next page.</summary>
    public string? NextMarker { get; set; }
}
