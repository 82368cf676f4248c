using System;

namespace DurableGen;

/// <summary>
/// When a parallel or map operation is done. With none of the three limits set it fails fast (stops dispatching at
/// the first failure), which is also what <see cref="AllSuccessful"/> gives. Comparisons are strict: a tolerance of 1
/// failure is exceeded by the second.
/// </summary>
public sealed class CompletionConfig
{
    private int? _minSuccessful;
    private int? _toleratedFailureCount;
    private double? _toleratedFailurePercentage;

    /// <summary>Stop once this many units succeeded (at least 1).</summary>
    public int? MinSuccessful
    {
        get => _minSuccessful;
        set => _minSuccessful = value is < 1
            ? throw new ArgumentOutOfRangeException(nameof(MinSuccessful), value, "MinSuccessful must be at least 1.")
            : value;
    }

    /// <summary>Stop once more than this many units failed (at least 0).</summary>
    public int? ToleratedFailureCount
    {
        get => _toleratedFailureCount;
        set => _toleratedFailureCount = value is < 0
            ? throw new ArgumentOutOfRangeException(nameof(ToleratedFailureCount), value, "ToleratedFailureCount must be at least 0.")
            : value;
    }

    /// <summary>Stop once the failed share of all units exceeds this ratio (0.0 … 1.0, not a percentage).</summary>
    public double? ToleratedFailurePercentage
    {
        get => _toleratedFailurePercentage;
        set => _toleratedFailurePercentage = value is { } ratio && (double.IsNaN(ratio) || ratio < 0.0 || ratio > 1.0)
            ? throw new ArgumentOutOfRangeException(nameof(ToleratedFailurePercentage), value,
                "ToleratedFailurePercentage is a ratio between 0.0 and 1.0.")
            : value;
    }

    /// <summary>Every unit must succeed; the first failure stops dispatching.</summary>
    public static CompletionConfig AllSuccessful() => new() { ToleratedFailureCount = 0 };

    /// <summary>Run every unit whatever fails.</summary>
    public static CompletionConfig AllCompleted() => new() { ToleratedFailureCount = int.MaxValue };

    /// <summary>Stop at the first success.</summary>
    public static CompletionConfig FirstSuccessful() => new() { MinSuccessful = 1 };
}
