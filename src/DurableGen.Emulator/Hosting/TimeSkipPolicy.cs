namespace DurableGen.Emulator.Hosting;

/// <summary>When an <see cref="ExecutionDriver"/> may move its virtual clock forward instead of waiting.</summary>
public enum TimeSkipPolicy
{
    /// <summary>Never: the clock is real; the driver sleeps until the next due time or a signal.</summary>
    RealTime,

    /// <summary>
    /// Skip to the next due time only while some execution waits on an operation's timer (a wait, a retry delay, a
    /// callback or heartbeat timeout). When only execution timeouts are left the executions wait on the outside world
    /// (a callback nobody has answered yet): skipping to the timeout would hide that, so the driver waits for a signal
    /// instead. The test runner's rule.
    /// </summary>
    OperationTimersOnly,

    /// <summary>Skip to any due time, the execution timeout included: the conformance runner's rule, whose requirements
    /// expect executions to time out.</summary>
    AnyDueTime,
}
