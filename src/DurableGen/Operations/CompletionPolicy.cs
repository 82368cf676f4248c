namespace DurableGen.Operations;

/// <summary>
/// The arithmetic of <see cref="CompletionConfig"/>: when to stop dispatching units and why the batch completed.
/// No limit set at all means fail fast.
/// </summary>
internal sealed class CompletionPolicy(CompletionConfig config)
{
    private bool FailFast => config.MinSuccessful is null && config.ToleratedFailureCount is null
        && config.ToleratedFailurePercentage is null;

    public bool MinSuccessfulReached(int succeeded) => config.MinSuccessful is { } min && succeeded >= min;

    public bool FailureToleranceExceeded(int failed, int total) => FailFast
        ? failed > 0
        : (config.ToleratedFailureCount is { } count && failed > count)
          || (config.ToleratedFailurePercentage is { } ratio && total > 0 && (double)failed / total > ratio);

    public bool ShouldStopDispatching(int succeeded, int failed, int total) =>
        MinSuccessfulReached(succeeded) || FailureToleranceExceeded(failed, total);

    public CompletionReason Evaluate(int succeeded, int failed, int started, int total) =>
        FailureToleranceExceeded(failed, total) ? CompletionReason.FailureToleranceExceeded
        : started > 0 && MinSuccessfulReached(succeeded) ? CompletionReason.MinSuccessfulReached
        : CompletionReason.AllCompleted;
}
