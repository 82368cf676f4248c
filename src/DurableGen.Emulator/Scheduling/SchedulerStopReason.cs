namespace DurableGen.Emulator;

/// <summary>Why an <see cref="ExecutionScheduler"/> run stopped.</summary>
public enum SchedulerStopReason
{
    /// <summary>The stop condition held (for example, the execution closed).</summary>
    ConditionMet,

    /// <summary>Nothing is runnable and no timer can fire (time is not skipped, or no timer is pending): the work
    /// waits on something external such as a callback.</summary>
    Idle,

    /// <summary>The invocation guard (<see cref="ExecutionScheduler.MaxInvocations"/>) was reached.</summary>
    MaxInvocationsReached,
}
