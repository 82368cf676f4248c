using System;
using DurableGen.Protocol;

namespace DurableGen.Emulator;

/// <summary>What a host needs to know to drive one execution.</summary>
/// <param name="Status">The execution status.</param>
/// <param name="IsRunnable">Whether it needs an invocation (ignoring any active one).</param>
/// <param name="HasActiveInvocation">Whether an invocation is in flight.</param>
/// <param name="NextDueTime">Its earliest pending timer, if open.</param>
/// <param name="InvocationCount">Invocations begun so far.</param>
public sealed record ExecutionSchedulingState(
    ExecutionStatus Status,
    bool IsRunnable,
    bool HasActiveInvocation,
    DateTimeOffset? NextDueTime,
    int InvocationCount);
