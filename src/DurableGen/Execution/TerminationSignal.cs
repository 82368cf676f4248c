using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Execution;

/// <summary>Why an invocation stops before the workflow returns.</summary>
internal enum TerminationReason
{
    WaitScheduled,
    RetryScheduled,
    CallbackPending,
    InvokePending,
    CheckpointFailed,
}

/// <summary>
/// The one-shot signal that ends an invocation while the workflow is suspended. Suspension is never an exception (user
/// code could swallow it): the suspended call returns a task that never completes, and the handler races the workflow
/// against this signal. Tripping it also cancels the shutdown token every user function receives.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly TaskCompletionSource<TerminationReason> _signal =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _shutdown = new();

    public Task<TerminationReason> Task => _signal.Task;

    public bool IsTripped => _signal.Task.IsCompleted;

    public CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>Trips the signal; only the first call counts.</summary>
    public void Trip(TerminationReason reason)
    {
        if (_signal.TrySetResult(reason))
        {
            try
            {
                _shutdown.Cancel();
            }
            catch (AggregateException)
            {
                // A user callback registered on the token threw; shutdown proceeds regardless.
            }
        }
    }

    /// <summary>
    /// Suspends the calling flow and returns a task that never completes. On the workflow's main flow this trips the
    /// signal; inside a unit of a parallel or map operation it suspends only that unit, and the operation suspends its
    /// own flow once none of its units is still running (see <see cref="SuspensionGroup"/>).
    /// </summary>
    public Task<T> Suspend<T>(TerminationReason reason)
    {
        SuspendFlow(CurrentScope, reason);
        return new TaskCompletionSource<T>().Task;
    }

    /// <summary>The suspension scope of the calling flow (a batch unit), or <c>null</c> on the workflow's main flow.</summary>
    public SuspensionScope? CurrentScope => Scope.Value is { } scope && ReferenceEquals(scope.Signal, this) ? scope : null;

    /// <summary>Makes <paramref name="scope"/> the scope of the calling async flow (and the flows it starts).</summary>
    public static void EnterScope(SuspensionScope scope) => Scope.Value = scope;

    /// <summary>Suspends the flow of <paramref name="scope"/>; <c>null</c> is the main flow, whose suspension trips the signal.</summary>
    public void SuspendFlow(SuspensionScope? scope, TerminationReason reason)
    {
        if (scope is null)
        {
            Trip(reason);
        }
        else
        {
            scope.Suspend(reason);
        }
    }

    private static readonly AsyncLocal<SuspensionScope?> Scope = new();

    public void Dispose() => _shutdown.Dispose();
}

/// <summary>A flow that can suspend on its own: one unit of a parallel or map operation.</summary>
internal abstract class SuspensionScope
{
    /// <summary>The invocation's signal.</summary>
    public abstract TerminationSignal Signal { get; }

    /// <summary>The flow reached an operation that must wait for the service.</summary>
    public abstract void Suspend(TerminationReason reason);
}
