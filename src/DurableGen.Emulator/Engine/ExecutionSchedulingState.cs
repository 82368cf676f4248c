using System;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>What a host needs to know to drive one execution.</summary>
/// <param name="Status">The execution status.</param>
/// <param name="IsRunnable">Whether it needs an invocation (ignoring any active one).</param>
/// <param name="HasActiveInvocation">Whether an invocation is in flight.</param>
/// <param name="NextDueTime">Its earliest pending timer, if open.</param>
/// <param name="InvocationCount">Invocations begun so far.</param>
/// <param name="WaitsOnOperationTimer">
/// Whether an operation timer is pending (a wait, a step retry, a callback timeout or heartbeat deadline), as opposed to
/// only the execution's own timeout. A time-skipping host that finds none has nothing to skip to but the timeout, and
/// treats the execution as waiting on the outside world.
/// </param>
public sealed record ExecutionSchedulingState(
    ExecutionStatus Status,
    bool IsRunnable,
    bool HasActiveInvocation,
    DateTimeOffset? NextDueTime,
    int InvocationCount,
    bool WaitsOnOperationTimer);
