using System;
using System.Collections.Generic;
using System.Linq;

namespace DurableGen;

/// <summary>Why a parallel or map operation finished.</summary>
public enum CompletionReason
{
    /// <summary>Every dispatched unit finished (wire <c>ALL_COMPLETED</c>).</summary>
    AllCompleted,

    /// <summary>Enough units succeeded (wire <c>MIN_SUCCESSFUL_REACHED</c>).</summary>
    MinSuccessfulReached,

    /// <summary>Too many units failed (wire <c>FAILURE_TOLERANCE_EXCEEDED</c>).</summary>
    FailureToleranceExceeded,
}

/// <summary>How one unit of a parallel or map operation ended.</summary>
public enum BatchItemStatus
{
    /// <summary>It returned a result.</summary>
    Succeeded,

    /// <summary>It threw.</summary>
    Failed,

    /// <summary>It was dispatched but stopped when the operation was decided.</summary>
    Started,
}

/// <summary>Counts of a parallel or map result.</summary>
public interface IBatchResult
{
    /// <summary>Why the operation finished.</summary>
    CompletionReason CompletionReason { get; }

    /// <summary>Whether any unit failed.</summary>
    bool HasFailure { get; }

    /// <summary>Units that succeeded.</summary>
    int SuccessCount { get; }

    /// <summary>Units that failed.</summary>
    int FailureCount { get; }

    /// <summary>Units dispatched but not finished.</summary>
    int StartedCount { get; }

    /// <summary>Units dispatched.</summary>
    int TotalCount { get; }
}

/// <summary>The result of a parallel or map operation. It never throws because units failed: check it.</summary>
/// <typeparam name="T">The unit result type.</typeparam>
public interface IBatchResult<T> : IBatchResult
{
    /// <summary>Every dispatched unit, in index order.</summary>
    IReadOnlyList<IBatchItem<T>> All { get; }

    /// <summary>The units that succeeded.</summary>
    IReadOnlyList<IBatchItem<T>> Succeeded { get; }

    /// <summary>The units that failed.</summary>
    IReadOnlyList<IBatchItem<T>> Failed { get; }

    /// <summary>The units that were dispatched but did not finish.</summary>
    IReadOnlyList<IBatchItem<T>> Started { get; }

    /// <summary>The results of the units that succeeded, in index order.</summary>
    IReadOnlyList<T> GetResults();

    /// <summary>The errors of the units that failed, in index order.</summary>
    IReadOnlyList<DurableExecutionException> GetErrors();

    /// <summary>Throws the first failed unit's error, if any.</summary>
    void ThrowIfError();
}

/// <summary>One unit of a parallel or map operation.</summary>
/// <typeparam name="T">The unit result type.</typeparam>
public interface IBatchItem<T>
{
    /// <summary>The unit's 0-based index.</summary>
    int Index { get; }

    /// <summary>The unit's name.</summary>
    string? Name { get; }

    /// <summary>How it ended.</summary>
    BatchItemStatus Status { get; }

    /// <summary>The result, when it succeeded.</summary>
    T? Result { get; }

    /// <summary>The error (a <see cref="ChildContextException"/>), when it failed.</summary>
    DurableExecutionException? Error { get; }
}

/// <summary>A named branch of a parallel operation.</summary>
/// <typeparam name="T">The branch result type.</typeparam>
/// <param name="Name">The branch's operation name.</param>
/// <param name="Func">The branch body, run on its own child context.</param>
public sealed record DurableBranch<T>(string Name, Func<IDurableContext, System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> Func);

/// <summary>The batch result DurableGen builds; exposed so custom whole-result serializers can rebuild one.</summary>
/// <typeparam name="T">The unit result type.</typeparam>
public sealed class BatchResult<T> : IBatchResult<T>
{
    /// <summary>Creates a result from its items (index order) and completion reason.</summary>
    public BatchResult(IReadOnlyList<IBatchItem<T>> all, CompletionReason completionReason)
    {
        ArgumentNullException.ThrowIfNull(all);
        All = all;
        CompletionReason = completionReason;
        Succeeded = all.Where(i => i.Status == BatchItemStatus.Succeeded).ToList();
        Failed = all.Where(i => i.Status == BatchItemStatus.Failed).ToList();
        Started = all.Where(i => i.Status == BatchItemStatus.Started).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<IBatchItem<T>> All { get; }

    /// <inheritdoc />
    public IReadOnlyList<IBatchItem<T>> Succeeded { get; }

    /// <inheritdoc />
    public IReadOnlyList<IBatchItem<T>> Failed { get; }

    /// <inheritdoc />
    public IReadOnlyList<IBatchItem<T>> Started { get; }

    /// <inheritdoc />
    public CompletionReason CompletionReason { get; }

    /// <inheritdoc />
    public bool HasFailure => Failed.Count > 0;

    /// <inheritdoc />
    public int SuccessCount => Succeeded.Count;

    /// <inheritdoc />
    public int FailureCount => Failed.Count;

    /// <inheritdoc />
    public int StartedCount => Started.Count;

    /// <inheritdoc />
    public int TotalCount => All.Count;

    /// <inheritdoc />
    public IReadOnlyList<T> GetResults() => Succeeded.Select(i => i.Result!).ToList();

    /// <inheritdoc />
    public IReadOnlyList<DurableExecutionException> GetErrors() => Failed.Select(i => i.Error!).ToList();

    /// <inheritdoc />
    public void ThrowIfError()
    {
        if (Failed.Count > 0 && Failed[0].Error is { } error)
        {
            throw error;
        }
    }
}

/// <summary>One unit of a <see cref="BatchResult{T}"/>.</summary>
/// <typeparam name="T">The unit result type.</typeparam>
/// <param name="Index">The 0-based index.</param>
/// <param name="Name">The name.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Result">The result, when it succeeded.</param>
/// <param name="Error">The error, when it failed.</param>
public sealed record BatchItem<T>(int Index, string? Name, BatchItemStatus Status, T? Result, DurableExecutionException? Error)
    : IBatchItem<T>;
