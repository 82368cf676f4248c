using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Dashboard;

/// <summary>What the execution page draws (<c>/local/executions/{arn}/timeline</c>): the layout is computed here, so
/// the page only places boxes at the given fractions of its width.</summary>
internal sealed class TimelineView
{
    public required string DurableExecutionArn { get; init; }

    public required string DurableExecutionName { get; init; }

    public required string FunctionName { get; init; }

    public ExecutionStatus Status { get; init; }

    public DateTimeOffset StartTimestamp { get; init; }

    public DateTimeOffset? EndTimestamp { get; init; }

    /// <summary>The span the axis covers, in milliseconds (to now while the execution runs).</summary>
    public long DurationMs { get; init; }

    /// <summary>The service clock when this was read.</summary>
    public DateTimeOffset Now { get; init; }

    public IReadOnlyList<TimelineBreak> Breaks { get; init; } = [];

    public IReadOnlyList<TimelineInvocation> Invocations { get; init; } = [];

    public IReadOnlyList<TimelineOperation> Operations { get; init; } = [];

    /// <summary>The whole history, oldest first.</summary>
    public IReadOnlyList<Event> Events { get; init; } = [];
}
