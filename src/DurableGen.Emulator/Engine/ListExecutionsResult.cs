using System.Collections.Generic;

namespace DurableGen.Emulator.Engine;

/// <summary>One page of <c>ListDurableExecutionsByFunction</c>.</summary>
/// <param name="DurableExecutions">The executions on this page.</param>
/// <param name="NextMarker">The marker of the next page, null on the last.</param>
public sealed record ListExecutionsResult(IReadOnlyList<ExecutionSummary> DurableExecutions, string? NextMarker);
