using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace DurableGen.Protocol;

/// <summary>Request of <c>GetDurableExecution</c> (path and query members only).</summary>
public sealed class GetDurableExecutionRequest
{
    /// <summary>The execution ARN (path).</summary>
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>Whether input, result and error are included (query; the service's default is true).</summary>
    public bool? IncludeExecutionData { get; set; }
}

/// <summary>Request of <c>GetDurableExecutionHistory</c> (path and query members only).</summary>
public sealed class GetDurableExecutionHistoryRequest
{
    /// <summary>The execution ARN (path).</summary>
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>Whether event payloads are included (default true).</summary>
    public bool? IncludeExecutionData { get; set; }

    /// <summary>Page size 0–1000 (0 or absent = 100).</summary>
    public int? MaxItems { get; set; }

    /// <summary>The marker of the page to read (a previous page's <c>NextMarker</c>).</summary>
    public string? Marker { get; set; }

    /// <summary>False (default): oldest first; true: newest first.</summary>
    public bool? ReverseOrder { get; set; }
}

/// <summary>Request of <c>ListDurableExecutionsByFunction</c> (path and query members only).</summary>
public sealed class ListDurableExecutionsByFunctionRequest
{
    /// <summary>The function: name, partial ARN or full ARN (path).</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>Only this version; all versions when absent.</summary>
    public string? Qualifier { get; set; }

    /// <summary>Only executions with this name.</summary>
    public string? DurableExecutionName { get; set; }

    /// <summary>Only these statuses (1–10 entries; the key repeats in the query).</summary>
    public IReadOnlyList<ExecutionStatus>? Statuses { get; set; }

    /// <summary>Only executions started after this instant (ISO-8601 in the query).</summary>
    public DateTimeOffset? StartedAfter { get; set; }

    /// <summary>Only executions started before this instant (ISO-8601 in the query).</summary>
    public DateTimeOffset? StartedBefore { get; set; }

    /// <summary>The API's quirk: false (default) lists newest first, true oldest first.</summary>
    public bool? ReverseOrder { get; set; }

    /// <summary>The marker of the page to read.</summary>
    public string? Marker { get; set; }

    /// <summary>Page size 1–1000 (default 100).</summary>
    public int? MaxItems { get; set; }
}

/// <summary>Response of <c>ListDurableExecutionsByFunction</c>.</summary>
public sealed class ListDurableExecutionsByFunctionResponse
{
    /// <summary>The executions of this page.</summary>
    public IReadOnlyList<DurableExecutionSummary> DurableExecutions { get; set; } = Array.Empty<DurableExecutionSummary>();

    /// <summary>The marker of the next page, absent on the last one.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>One item of <c>ListDurableExecutionsByFunction</c> (the wire shape <c>Execution</c>).</summary>
public sealed class DurableExecutionSummary
{
    /// <summary>The execution ARN.</summary>
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>The execution name.</summary>
    public string DurableExecutionName { get; set; } = "";

    /// <summary>The qualified function ARN.</summary>
    public string FunctionArn { get; set; } = "";

    /// <summary>The execution status.</summary>
    public ExecutionStatus Status { get; set; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset StartTimestamp { get; set; }

    /// <summary>When the execution closed.</summary>
    public DateTimeOffset? EndTimestamp { get; set; }

    /// <summary>The KMS key that encrypts the execution's data, if any.</summary>
    public string? KMSKeyArn { get; set; }
}

/// <summary>Request of <c>StopDurableExecution</c>: the ARN travels in the path, the error is the whole body.</summary>
public sealed class StopDurableExecutionRequest
{
    /// <summary>The execution ARN (path).</summary>
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>The error recorded as the reason (sent as the bare body; <c>{}</c> when absent).</summary>
    public ErrorObject? Error { get; set; }
}

/// <summary>Response of <c>StopDurableExecution</c>.</summary>
public sealed class StopDurableExecutionResponse
{
    /// <summary>When the execution stopped.</summary>
    public DateTimeOffset StopTimestamp { get; set; }
}

/// <summary>The X-Ray trace header of an execution.</summary>
public sealed class TraceHeader
{
    /// <summary>The <c>X-Amzn-Trace-Id</c> value.</summary>
    [JsonPropertyName("XAmznTraceId")]
    public string? XAmznTraceId { get; set; }
}

/// <summary>The durable configuration of the function an execution runs on.</summary>
public sealed class DurableConfig
{
    /// <summary>The KMS key for execution data.</summary>
    public string? KMSKeyArn { get; set; }

    /// <summary>History retention, 1–90 days.</summary>
    public int? RetentionPeriodInDays { get; set; }

    /// <summary>The execution timeout in seconds.</summary>
    public int? ExecutionTimeout { get; set; }
}
