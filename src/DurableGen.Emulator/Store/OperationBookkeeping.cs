using System;

namespace DurableGen.Emulator.Store;

/// <summary>Engine data about one operation that the wire record does not carry.</summary>
internal sealed class OperationBookkeeping
{
    /// <summary>The WAIT duration in seconds (for <c>WaitSucceeded.Duration</c>).</summary>
    public int? WaitSeconds { get; set; }

    /// <summary>The CALLBACK timeout in seconds (0 or absent = none).</summary>
    public int? CallbackTimeoutSeconds { get; set; }

    /// <summary>The CALLBACK heartbeat timeout in seconds (0 or absent = none).</summary>
    public int? HeartbeatTimeoutSeconds { get; set; }

    /// <summary>When the callback times out.</summary>
    public DateTimeOffset? CallbackTimeoutAt { get; set; }

    /// <summary>When the callback times out for want of a heartbeat.</summary>
    public DateTimeOffset? HeartbeatDeadline { get; set; }

    /// <summary>The ARN of the execution a CHAINED_INVOKE started.</summary>
    public string? ChildExecutionArn { get; set; }

    /// <summary>A copy.</summary>
    public OperationBookkeeping Clone() => (OperationBookkeeping)MemberwiseClone();
}
