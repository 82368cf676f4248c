namespace DurableGen.LocalService.Dashboard;

/// <summary>One invocation of the function: a band across the timeline.</summary>
internal sealed class TimelineInvocation
{
    /// <summary>1-based.</summary>
    public int Number { get; init; }

    public string? RequestId { get; init; }

    /// <summary>Milliseconds from the execution's start.</summary>
    public long StartMs { get; init; }

    /// <summary>Milliseconds from the execution's start; null while it runs.</summary>
    public long? EndMs { get; init; }

    public double X { get; init; }

    public double Width { get; init; }

    /// <summary>The error type of a failed invocation (the function crashed or timed out).</summary>
    public string? ErrorType { get; init; }
}
