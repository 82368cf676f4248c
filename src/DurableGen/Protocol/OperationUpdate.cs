namespace DurableGen.Protocol;

/// <summary>One change to one operation, sent inside a checkpoint request.</summary>
public sealed class OperationUpdate
{
    /// <summary>The operation id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The enclosing context's id, absent at the root.</summary>
    public string? ParentId { get; set; }

    /// <summary>The operation name, absent when the workflow gave none.</summary>
    public string? Name { get; set; }

    /// <summary>The operation type.</summary>
    public OperationType Type { get; set; }

    /// <summary>The SDK sub-kind.</summary>
    public string? SubType { get; set; }

    /// <summary>What to do.</summary>
    public OperationAction Action { get; set; }

    /// <summary>Result (SUCCEED), state (RETRY) or input (CHAINED_INVOKE START), as text.</summary>
    public string? Payload { get; set; }

    /// <summary>The error of a FAIL or RETRY.</summary>
    public ErrorObject? Error { get; set; }

    /// <summary>Options of a context update.</summary>
    public ContextOptions? ContextOptions { get; set; }

    /// <summary>Options of a step RETRY.</summary>
    public StepOptions? StepOptions { get; set; }

    /// <summary>Options of a wait START.</summary>
    public WaitOptions? WaitOptions { get; set; }

    /// <summary>Options of a callback START.</summary>
    public CallbackOptions? CallbackOptions { get; set; }

    /// <summary>Options of a chained-invoke START.</summary>
    public ChainedInvokeOptions? ChainedInvokeOptions { get; set; }
}

/// <summary>Context options.</summary>
public sealed class ContextOptions
{
    /// <summary>Keep the children in the replay state after the context completes.</summary>
    public bool? ReplayChildren { get; set; }
}

/// <summary>Step options.</summary>
public sealed class StepOptions
{
    /// <summary>Seconds until the next attempt (1 … 31,622,400).</summary>
    public int? NextAttemptDelaySeconds { get; set; }
}

/// <summary>Wait options.</summary>
public sealed class WaitOptions
{
    /// <summary>Seconds to wait (1 … 31,622,400).</summary>
    public int? WaitSeconds { get; set; }
}

/// <summary>Callback options.</summary>
public sealed class CallbackOptions
{
    /// <summary>Seconds until the callback times out; 0 or absent = never.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>Seconds without a heartbeat before the callback times out; 0 or absent = never.</summary>
    public int? HeartbeatTimeoutSeconds { get; set; }
}

/// <summary>Chained-invoke options.</summary>
public sealed class ChainedInvokeOptions
{
    /// <summary>The function to invoke (name or ARN, optionally qualified).</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>The tenant id to invoke with.</summary>
    public string? TenantId { get; set; }
}
