using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;

namespace DurableGen.Testing;

/// <summary>
/// External work a test runs beside the host (an approver, a plain function invoked asynchronously): while any of it
/// runs the driver does not skip time, since it works in real time and may still answer; its failures are reported by
/// the next run.
/// </summary>
internal sealed class BackgroundWork : ITimeParticipant
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentQueue<Exception> _failures = new();

    public bool HoldsTime => !_running.IsEmpty;

    public DateTimeOffset? NextActionTime => null;

    public Task ActAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Start(Func<Task> work, Action finished)
    {
        var task = Task.Run(work);
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(done =>
        {
            if (done.Exception is { } failure)
            {
                _failures.Enqueue(failure.InnerExceptions.Count == 1 ? failure.InnerException! : failure);
            }

            _running.TryRemove(done, out _);
            finished();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Throws the first failure not reported yet; otherwise returns false (so it can lead a condition).</summary>
    public bool ThrowIfFailed() => _failures.TryDequeue(out var failure)
        ? throw new InvalidOperationException($"Background work failed: {failure.Message}", failure)
        : false;
}
