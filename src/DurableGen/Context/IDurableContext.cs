using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace DurableGen;

/// <summary>
/// The durable context a workflow runs on. Every call is a durable operation: it is checkpointed when it runs and
/// replayed from its checkpoint when the workflow re-runs from the top on a later invocation. Code outside these calls
/// re-runs on every invocation and must be deterministic.
/// </summary>
public interface IDurableContext
{
    /// <summary>A logger that is silent while the workflow replays operations that already completed.</summary>
    ILogger Logger { get; }

    /// <summary>Replaces this context's logger configuration.</summary>
    void ConfigureLogger(LoggerConfig config);

    /// <summary>The execution this workflow belongs to.</summary>
    IExecutionContext ExecutionContext { get; }

    /// <summary>The Lambda invocation this replay runs in.</summary>
    ILambdaContext LambdaContext { get; }

    /// <summary>Runs <paramref name="func"/> once and checkpoints its result; later replays return the checkpointed result.</summary>
    Task<T> StepAsync<T>(Func<IStepContext, CancellationToken, Task<T>> func, string? name = null,
        StepConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> once and checkpoints its completion.</summary>
    Task StepAsync(Func<IStepContext, CancellationToken, Task> func, string? name = null, StepConfig? config = null,
        CancellationToken cancellationToken = default);

    /// <summary>Suspends the workflow for <paramref name="duration"/> (1 s … 366 days) without holding a Lambda invocation.</summary>
    Task WaitAsync(TimeSpan duration, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> in a child context whose operations are grouped under one checkpointed result.</summary>
    Task<T> RunInChildContextAsync<T>(Func<IDurableContext, CancellationToken, Task<T>> func, string? name = null,
        ChildContextConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> in a child context.</summary>
    Task RunInChildContextAsync(Func<IDurableContext, CancellationToken, Task> func, string? name = null,
        ChildContextConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a callback that an external system completes by its id. Creating never suspends and never throws for the
    /// callback's outcome; awaiting <see cref="ICallback{T}.GetResultAsync"/> does.
    /// </summary>
    Task<ICallback<T>> CreateCallbackAsync<T>(string? name = null, CallbackConfig? config = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a callback, hands its id to <paramref name="submitter"/> inside a step (so the hand-off happens once, not
    /// on every replay), and waits for the result.
    /// </summary>
    Task<T> WaitForCallbackAsync<T>(Func<string, IWaitForCallbackContext, CancellationToken, Task> submitter,
        string? name = null, WaitForCallbackConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invokes another function (durable or not) and waits for its result without holding this invocation: the
    /// service runs it and re-invokes this workflow when it finishes.
    /// </summary>
    /// <exception cref="InvokeFailedException">The target failed (also <see cref="InvokeTimedOutException"/>, <see cref="InvokeStoppedException"/>).</exception>
    Task<TResult> InvokeAsync<TPayload, TResult>(string functionName, TPayload payload, string? name = null,
        InvokeConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls <paramref name="check"/> until the wait strategy stops, suspending between polls. The state returned by
    /// each poll is checkpointed and handed to the next one.
    /// </summary>
    Task<TState> WaitForConditionAsync<TState>(Func<TState, IConditionCheckContext, CancellationToken, Task<TState>> check,
        WaitForConditionConfig<TState> config, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="branches"/> concurrently, each on its own child context (named "0", "1", …).</summary>
    Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<Func<IDurableContext, CancellationToken, Task<T>>> branches,
        string? name = null, ParallelConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>Runs named <paramref name="branches"/> concurrently, each on its own child context.</summary>
    Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<DurableBranch<T>> branches, string? name = null,
        ParallelConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> for every item concurrently, each on its own child context.</summary>
    Task<IBatchResult<TResult>> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items,
        Func<IDurableContext, TItem, int, IReadOnlyList<TItem>, CancellationToken, Task<TResult>> func, string? name = null,
        MapConfig<TItem>? config = null, CancellationToken cancellationToken = default);
}
