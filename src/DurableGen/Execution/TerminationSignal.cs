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

    /// <summary>Trips the signal and returns a task that never completes.</summary>
    public Task<T> Suspend<T>(TerminationReason reason)
    {
        Trip(reason);
        return new TaskCompletionSource<T>().Task;
    }

    public void Dispose() => _shutdown.Dispose();
}
