using System;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>One item of <c>ListDurableExecutionsByFunction</c> (the wire <c>Execution</c> shape).</summary>
/// <param name="DurableExecutionArn">The execution ARN.</param>
/// <param name="DurableExecutionName">The execution name.</param>
/// <param name="FunctionArn">The qualified function ARN.</param>
/// <param name="Status">The status.</param>
/// <param name="StartTimestamp">When it started.</param>
/// <param name="EndTimestamp">When it closed.</param>
public sealed record ExecutionSummary(
    string DurableExecutionArn,
    string DurableExecutionName,
    string FunctionArn,
    ExecutionStatus Status,
    DateTimeOffset StartTimestamp,
    DateTimeOffset? EndTimestamp);
