namespace DurableGen.LocalService.Dashboard;

/// <summary>A stretch of the axis where nothing ran for a long time, drawn narrower than its duration.</summary>
internal sealed class TimelineBreak
{
    /// <summary>Where it begins, 0..1.</summary>
    public double X { get; init; }

    /// <summary>Its drawn width, 0..1.</summary>
    public double Width { get; init; }

    /// <summary>How much time it stands for.</summary>
    public long HiddenMs { get; init; }
}
