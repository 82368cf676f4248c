using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.Emulator;

/// <summary>Filters and paging of <c>ListDurableExecutionsByFunction</c> (protocol §2.5).</summary>
public sealed class ListExecutionsRequest
{
    /// <summary>The function: name, partial ARN or full ARN (a qualifier in it acts as <see cref="Qualifier"/>).</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>Only this version; all versions when absent.</summary>
    public string? Qualifier { get; set; }

    /// <summary>Only executions with this name.</summary>
    public string? DurableExecutionName { get; set; }

    /// <summary>Only these statuses (1–10 entries) when given.</summary>
    public IReadOnlyList<ExecutionStatus>? Statuses { get; set; }

    /// <summary>Only executions started after this instant.</summary>
    public DateTimeOffset? StartedAfter { get; set; }

    /// <summary>Only executions started before this instant.</summary>
    public DateTimeOffset? StartedBefore { get; set; }

    /// <summary>False (default): newest first; true: oldest first (the API's quirk).</summary>
    public bool ReverseOrder { get; set; }

    /// <summary>The marker of the page to read.</summary>
    public string? Marker { get; set; }

    /// <summary>Page size 0–1000 (0 or absent = 100).</summary>
    public int? MaxItems { get; set; }
}
