using System;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Api;

/// <summary><see cref="DurableExecutionSummary"/>'s members plus the function's name, which the dashboard groups
/// by.</summary>
internal sealed class LocalExecution
{
    public required string DurableExecutionArn { get; init; }

    public required string DurableExecutionName { get; init; }

    public required string FunctionArn { get; init; }

    public required string FunctionName { get; init; }

    public ExecutionStatus Status { get; init; }

    public DateTimeOffset StartTimestamp { get; init; }

    public DateTimeOffset? EndTimestamp { get; init; }
}
