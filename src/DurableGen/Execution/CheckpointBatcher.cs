using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Execution;

/// <summary>
/// Sends operation updates to the service: many producers, one consumer, requests strictly one after another with the
/// token the previous response returned. Updates leave in enqueue order; whatever queued while a request was in flight
/// forms the next batch. A caller that must not go on before its update is durable awaits the task of
/// <see cref="EnqueueAsync"/>; fire-and-forget updates are still flushed, in order, before anything enqueued later.
/// </summary>
internal sealed class CheckpointBatcher
{
    private const int RequestReserveBytes = 4 * 1024;

    private readonly IDurableServiceClient _client;
    private readonly string _executionArn;
    private readonly ExecutionState _state;
    private readonly CheckpointBatcherConfig _config;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _consumer;
    private Exception? _terminalError;

    public CheckpointBatcher(IDurableServiceClient client, string executionArn, string checkpointToken,
        ExecutionState state, CheckpointBatcherConfig config)
    {
        _client = client;
        _executionArn = executionArn;
        CheckpointToken = checkpointToken;
        _state = state;
        _config = config;
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>Raised once, on the consumer, when a request fails; the batcher then refuses every later update.</summary>
    public event Action<Exception>? Failed;

    /// <summary>Raised on the consumer after a response's changed records were merged, before waiters resume.</summary>
    public event Action<IReadOnlyList<Operation>?>? Merged;

    /// <summary>The token the next request will carry.</summary>
    public string CheckpointToken { get; private set; }

    /// <summary>The error of the request that failed, if one did.</summary>
    public Exception? TerminalError => Volatile.Read(ref _terminalError);

    /// <summary>Number of requests sent (for diagnostics and benchmarks).</summary>
    public int RequestCount { get; private set; }

    /// <summary>
    /// Queues <paramref name="update"/>; the task completes when the request carrying it has succeeded.
    /// <paramref name="cancellationToken"/> only stops the caller waiting: the update is sent regardless.
    /// </summary>
    public Task EnqueueAsync(OperationUpdate update, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(update, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (TerminalError is { } error)
        {
            return Task.FromException(error);
        }

        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException(TerminalError ?? new InvalidOperationException(
                "The invocation has ended: no more checkpoints can be written. A durable call outlived the workflow."));
        }

        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    /// <summary>Queues <paramref name="update"/> without waiting for it.</summary>
    public void Enqueue(OperationUpdate update) =>
        _ = EnqueueAsync(update).ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Closes the queue, sends everything still in it, and rethrows the failure of any request.</summary>
    public async Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
        if (TerminalError is { } error)
        {
            throw error;
        }
    }

    /// <summary>The batcher's size estimate of one update, the official SDK's formula.</summary>
    internal static int EstimateBytes(OperationUpdate update)
    {
        var bytes = 512 + 2 * Utf8(update.Payload) + Utf8(update.Id) + Utf8(update.ParentId) + Utf8(update.Name);
        if (update.Error is { } error)
        {
            bytes += Utf8(error.ErrorType) + Utf8(error.ErrorMessage) + Utf8(error.ErrorData);
            if (error.StackTrace is { } lines)
            {
                foreach (var line in lines)
                {
                    bytes += Utf8(line) + 8;
                }
            }
        }

        return bytes;
    }

    private static int Utf8(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);

    private async Task ConsumeAsync()
    {
        var batch = new List<Pending>();
        Pending? carried = null;
        var reader = _queue.Reader;
        while (carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var bytes = RequestReserveBytes;
            if (carried is { } first)
            {
                batch.Add(first);
                bytes += EstimateBytes(first.Update);
                carried = null;
            }

            if (_config.FlushInterval > TimeSpan.Zero)
            {
                await Task.Delay(_config.FlushInterval).ConfigureAwait(false);
            }

            while (reader.TryRead(out var next))
            {
                var size = EstimateBytes(next.Update);
                if (batch.Count > 0 && (batch.Count >= _config.MaxBatchOperations || bytes + size > _config.MaxBatchBytes))
                {
                    carried = next;
                    break;
                }

                batch.Add(next);
                bytes += size;
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }

            if (TerminalError is not null)
            {
                FailRemaining(carried);
                return;
            }
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        var updates = new OperationUpdate[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            updates[i] = batch[i].Update;
        }

        try
        {
            // Checkpoint writes never observe the workflow's cancellation: work that finished must not be lost.
            var response = await _client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = _executionArn,
                CheckpointToken = CheckpointToken,
                Updates = updates,
            }, CancellationToken.None).ConfigureAwait(false);
            RequestCount++;
            if (!string.IsNullOrEmpty(response.CheckpointToken))
            {
                CheckpointToken = response.CheckpointToken;
            }

            // Merge before releasing the waiters, so a caller reads the new record (e.g. a callback id) right after.
            _state.Merge(response.NewExecutionState?.Operations);
            Merged?.Invoke(response.NewExecutionState?.Operations);
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            var error = ex is DurableServiceException or DurableExecutionException
                ? ex
                : new DurableExecutionException($"Checkpoint failed: {ex.Message}", ex);
            Volatile.Write(ref _terminalError, error);
            _queue.Writer.TryComplete();

            // Stop the invocation before any waiter resumes, so user code never runs on after a lost checkpoint.
            Failed?.Invoke(error);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(error);
            }
        }
    }

    private void FailRemaining(Pending? carried)
    {
        var error = TerminalError!;
        carried?.Done.TrySetException(error);
        while (_queue.Reader.TryRead(out var pending))
        {
            pending.Done.TrySetException(error);
        }
    }

    private sealed record Pending(OperationUpdate Update, TaskCompletionSource Done);
}
