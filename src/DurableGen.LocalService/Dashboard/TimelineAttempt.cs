namespace DurableGen.LocalService.Dashboard;

/// <summary>One attempt of a step (or poll of a wait-for-condition), and the delay before the next one.</summary>
internal sealed class TimelineAttempt
{
    /// <summary>1-based.</summary>
    public int Attempt { get; init; }

    public double X { get; init; }

    public double Width { get; init; }

    /// <summary><c>RUNNING</c>, <c>SUCCEEDED</c>, <c>FAILED</c>, <c>RETRY</c> (failed, retried after a delay) or
    /// <c>POLL</c> (a condition checked, checked again after a delay).</summary>
    public required string Outcome { get; init; }

    /// <summary>The error of a failed attempt, as <c>Type: message</c>.</summary>
    public string? Error { get; init; }

    /// <summary>The delay until the next attempt, as the step asked for it.</summary>
    public int? DelaySeconds { get; init; }

    /// <summary>The drawn delay until the next attempt began (or until now).</summary>
    public double DelayX { get; init; }

    public double DelayWidth { get; init; }
}
