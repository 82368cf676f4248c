using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Dashboard;

/// <summary>One operation of the execution: a row of the timeline, in depth-first order under its parent.</summary>
internal sealed class TimelineOperation
{
    public required string Id { get; init; }

    public string? ParentId { get; init; }

    /// <summary>Nesting level: 0 for the execution, 1 for its top-level operations, and so on.</summary>
    public int Depth { get; init; }

    public string? Name { get; init; }

    public OperationType Type { get; init; }

    public string? SubType { get; init; }

    public OperationStatus Status { get; init; }

    /// <summary>Milliseconds from the execution's start.</summary>
    public long? StartMs { get; init; }

    /// <summary>Milliseconds from the execution's start; null while open.</summary>
    public long? EndMs { get; init; }

    public double X { get; init; }

    public double Width { get; init; }

    /// <summary>The attempts of a step; empty for other kinds.</summary>
    public IReadOnlyList<TimelineAttempt> Attempts { get; init; } = [];

    /// <summary>The input (an execution's, a chained invoke's), as sent.</summary>
    public string? Input { get; init; }

    public string? Result { get; init; }

    public ErrorObject? Error { get; init; }

    public string? CallbackId { get; init; }

    /// <summary>When a wait ends, or a pending step's next attempt begins.</summary>
    public System.DateTimeOffset? ScheduledEnd { get; init; }

    /// <summary>The <c>EventId</c>s of its history events.</summary>
    public IReadOnlyList<int> EventIds { get; init; } = [];
}
