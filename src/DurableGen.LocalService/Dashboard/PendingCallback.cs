using System;

namespace DurableGen.LocalService.Dashboard;

/// <summary>A callback some execution waits on (STARTED), with the deadlines that would time it out.</summary>
internal sealed class PendingCallback
{
    public required string DurableExecutionArn { get; init; }

    public required string DurableExecutionName { get; init; }

    public required string FunctionName { get; init; }

    public required string OperationId { get; init; }

    public string? Name { get; init; }

    public required string CallbackId { get; init; }

    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>When it times out, if it has a timeout.</summary>
    public DateTimeOffset? TimeoutAt { get; init; }

    /// <summary>When it times out unless a heartbeat comes first, if it has a heartbeat timeout.</summary>
    public DateTimeOffset? HeartbeatTimeoutAt { get; init; }

    public int? HeartbeatTimeoutSeconds { get; init; }
}
