using System;

namespace DurableGen.Emulator.Engine;

/// <summary>When an open callback times out: its overall timeout and, restarted by every heartbeat, its heartbeat
/// deadline (the latter is engine bookkeeping that no event records).</summary>
/// <param name="OperationId">The CALLBACK operation's id.</param>
/// <param name="TimeoutAt">When the callback times out, if it has a timeout.</param>
/// <param name="HeartbeatTimeoutAt">When it times out for want of a heartbeat, if it has a heartbeat timeout.</param>
/// <param name="HeartbeatTimeoutSeconds">The heartbeat timeout, if any.</param>
public sealed record CallbackDeadlines(string OperationId, DateTimeOffset? TimeoutAt, DateTimeOffset? HeartbeatTimeoutAt,
    int? HeartbeatTimeoutSeconds);
