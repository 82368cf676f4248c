using System;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>The indexed columns of an <see cref="ExecutionRecord"/>: what listing and scheduling queries read.</summary>
/// <param name="DurableExecutionArn">The execution ARN.</param>
/// <param name="FunctionName">The unqualified function name.</param>
/// <param name="ExecutionName">The execution name.</param>
/// <param name="FunctionArn">The qualified function ARN.</param>
/// <param name="Version">The function version.</param>
/// <param name="Status">The execution status.</param>
/// <param name="StartTimestamp">When the execution started.</param>
/// <param name="EndTimestamp">When it closed.</param>
/// <param name="IsRunnable">Whether it needs an invocation and none is active.</param>
/// <param name="RunnableSequence">Order among runnable executions (lower first).</param>
/// <param name="NextDueTime">The earliest pending timer of an open execution.</param>
internal sealed record ExecutionIndexEntry(
    string DurableExecutionArn,
    string FunctionName,
    string ExecutionName,
    string FunctionArn,
    string Version,
    ExecutionStatus Status,
    DateTimeOffset StartTimestamp,
    DateTimeOffset? EndTimestamp,
    bool IsRunnable,
    long RunnableSequence,
    DateTimeOffset? NextDueTime);
