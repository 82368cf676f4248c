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
/// <see cref="EnqueueAsync(OperationUpdate, CancellationToken)"/>; fire-and-forget updates are still flushed, in order,
/// before anything enqueued later. Updates queued together (<see cref="EnqueueAsync(OperationUpdate, OperationUpdate,
/// CancellationToken)"/>) always leave in one request (limits permitting), whatever the consumer thread's timing.
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
    public Task EnqueueAsync(OperationUpdate update, CancellationToken cancellationToken = default) =>
        Write(new Pending(update, Awaited()), cancellationToken);

    /// <summary>
    /// Queues <paramref name="first"/> (not waited for) and <paramref name="update"/> as one item, so they share a
    /// request: a step whose body completed synchronously sends its START and SUCCEED together, every time.
    /// </summary>
    public Task EnqueueAsync(OperationUpdate first, OperationUpdate update, CancellationToken cancellationToken = default) =>
        Write(new Pending(first, null) { Then = new Pending(update, Awaited()) }, cancellationToken);

    /// <summary>Queues <paramref name="update"/> without waiting for it (a failure still trips <see cref="Failed"/>).</summary>
    public void Enqueue(OperationUpdate update)
    {
        // Refused only once the batcher failed or closed, which already stops the invocation: nothing to report here.
        if (TerminalError is null)
        {
            _queue.Writer.TryWrite(new Pending(update, null));
        }
    }

    private static TaskCompletionSource Awaited() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task Write(Pending pending, CancellationToken cancellationToken)
    {
        if (TerminalError is { } error)
        {
            return Task.FromException(error);
        }

        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException(TerminalError ?? new InvalidOperationException(
                "The invocation has ended: no more checkpoints can be written. A durable call outlived the workflow."));
        }

        var done = pending.Last.Done;
        if (done is null)
        {
            return Task.CompletedTask;
        }

        return cancellationToken.CanBeCanceled ? done.Task.WaitAsync(cancellationToken) : done.Task;
    }

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
                carried = Take(first, batch, ref bytes);
            }

            if (_config.FlushInterval > TimeSpan.Zero)
            {
                await Task.Delay(_config.FlushInterval).ConfigureAwait(false);
            }

            while (carried is null && reader.TryRead(out var next))
            {
                carried = Take(next, batch, ref bytes);
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

    /// <summary>
    /// Adds <paramref name="item"/> and the updates queued with it to <paramref name="batch"/> while the limits allow;
    /// returns the part that must wait for the next request, if any.
    /// </summary>
    private Pending? Take(Pending item, List<Pending> batch, ref int bytes)
    {
        for (Pending? node = item; node is not null; node = node.Then)
        {
            var size = EstimateBytes(node.Update);
            if (batch.Count > 0 && (batch.Count >= _config.MaxBatchOperations || bytes + size > _config.MaxBatchBytes))
            {
                return node;
            }

            batch.Add(node);
            bytes += size;
        }

        return null;
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
                pending.Done?.TrySetResult();
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
                pending.Done?.TrySetException(error);
            }
        }
    }

    private void FailRemaining(Pending? carried)
    {
        var error = TerminalError!;
        Fail(carried, error);
        while (_queue.Reader.TryRead(out var pending))
        {
            Fail(pending, error);
        }
    }

    private static void Fail(Pending? item, Exception error)
    {
        for (var node = item; node is not null; node = node.Then)
        {
            node.Done?.TrySetException(error);
        }
    }

    /// <summary>One queued update: <see cref="Done"/> is null when nobody waits for it; <see cref="Then"/> is the next
    /// update of the same item (queued at the same instant, so the consumer never sees one without the other).</summary>
    private sealed class Pending(OperationUpdate update, TaskCompletionSource? done)
    {
        public OperationUpdate Update { get; } = update;

        public TaskCompletionSource? Done { get; } = done;

        public Pending? Then { get; init; }

        public Pending Last => Then?.Last ?? this;
    }
}
