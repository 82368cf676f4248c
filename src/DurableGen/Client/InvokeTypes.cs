namespace DurableGen.Client;

/// <summary>How <c>Invoke</c> runs the function (header <c>X-Amz-Invocation-Type</c>).</summary>
public enum DurableInvocationType
{
    /// <summary>Synchronous: the call waits for the execution (at most 15 minutes) and returns its result (HTTP 200).</summary>
    RequestResponse = 0,

    /// <summary>Asynchronous: the execution starts and the call returns at once (HTTP 202).</summary>
    Event,

    /// <summary>Validation only, nothing runs (HTTP 204).</summary>
    DryRun,
}

/// <summary>Request of <c>Invoke</c> for a durable function: starts (or, with a known name, finds) an execution.</summary>
public sealed class InvokeDurableExecutionRequest
{
    /// <summary>The function name or ARN, optionally with a <c>:qualifier</c> (path).</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>The version or alias (query <c>Qualifier</c>).</summary>
    public string? Qualifier { get; set; }

    /// <summary>Synchronous or asynchronous (the AWS default is <see cref="DurableInvocationType.RequestResponse"/>).</summary>
    public DurableInvocationType InvocationType { get; set; } = DurableInvocationType.RequestResponse;

    /// <summary>
    /// The execution name (header <c>X-Amz-Durable-Execution-Name</c>, 1–64 chars <c>[a-zA-Z0-9-_]</c>): starting twice
    /// with the same name and payload returns the existing execution; the service generates a name when absent.
    /// </summary>
    public string? DurableExecutionName { get; set; }

    /// <summary>The tenant (header <c>X-Amz-Tenant-Id</c>).</summary>
    public string? TenantId { get; set; }

    /// <summary>The input: JSON text that becomes the execution's <c>InputPayload</c> (sent as the raw body).</summary>
    public string? Payload { get; set; }
}

/// <summary>Response of <c>Invoke</c>.</summary>
public sealed class InvokeDurableExecutionResponse
{
    /// <summary>200 (<c>RequestResponse</c>), 202 (<c>Event</c>) or 204 (<c>DryRun</c>).</summary>
    public int StatusCode { get; set; }

    /// <summary>The started or existing execution's ARN (header <c>X-Amz-Durable-Execution-Arn</c>).</summary>
    public string? DurableExecutionArn { get; set; }

    /// <summary>The version that ran (header <c>X-Amz-Executed-Version</c>).</summary>
    public string? ExecutedVersion { get; set; }

    /// <summary>Set when the function failed (header <c>X-Amz-Function-Error</c>); <see cref="Payload"/> then holds the error.</summary>
    public string? FunctionError { get; set; }

    /// <summary>The base64 log tail (header <c>X-Amz-Log-Result</c>).</summary>
    public string? LogResult { get; set; }

    /// <summary>The response body as UTF-8 text: the execution's result for a synchronous invoke, usually empty otherwise.</summary>
    public string? Payload { get; set; }
}
