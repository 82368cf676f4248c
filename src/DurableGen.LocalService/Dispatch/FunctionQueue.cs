using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using DurableGen.LocalService.Sandboxes;

namespace DurableGen.LocalService.Dispatch;

/// <summary>A function's work queue: the invocations its sandboxes take with the Runtime API's <c>next</c>, the
/// invocations in flight (each with the sandbox that holds it), and the sandbox processes the service runs for it.</summary>
internal sealed class FunctionQueue
{
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>();
    private readonly ConcurrentDictionary<string, WorkItem> _inFlight = new(StringComparer.Ordinal);

    public FunctionQueue(FunctionDefinition definition, string functionArn)
    {
        Definition = definition;
        FunctionArn = functionArn;
    }

    public FunctionDefinition Definition { get; }

    public string Name => Definition.Name;

    public string FunctionArn { get; }

    /// <summary>The sandboxes' processes (empty when the function's processes connect by themselves).</summary>
    public List<FunctionProcess> Processes { get; } = new();

    /// <summary>The last init error a process reported, if any.</summary>
    public string? InitError { get; set; }

    /// <summary>Invocations handed to processes so far.</summary>
    public int Delivered;

    public int QueueLength => _queue.Reader.Count;

    public int InFlightCount => _inFlight.Count;

    public void Enqueue(WorkItem item) => _queue.Writer.TryWrite(item);

    /// <summary>Takes the next item for <paramref name="sandbox"/>; its deadline is <paramref name="timeout"/> from now
    /// on the service's <paramref name="clock"/> (the engine's).</summary>
    public async ValueTask<WorkItem> TakeAsync(TimeSpan timeout, int sandbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var item = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        item.Deadline = clock.GetUtcNow() + timeout;
        item.Sandbox = sandbox;
        _inFlight[item.RequestId] = item;
        Interlocked.Increment(ref Delivered);
        return item;
    }

    /// <summary>Puts back an item whose delivery failed (the long poll's connection dropped mid-answer).</summary>
    public void Return(WorkItem item)
    {
        if (_inFlight.TryRemove(item.RequestId, out _))
        {
            _queue.Writer.TryWrite(item);
        }
    }

    public bool TryComplete(string requestId, out WorkItem item) => _inFlight.TryRemove(requestId, out item!);

    public bool IsInFlight(string requestId) => _inFlight.ContainsKey(requestId);

    /// <summary>Removes and returns every item a sandbox holds (its process died).</summary>
    public List<WorkItem> TakeAllInFlight(int sandbox)
    {
        var items = new List<WorkItem>();
        foreach (var pair in _inFlight)
        {
            if (pair.Value.Sandbox == sandbox && _inFlight.TryRemove(pair.Key, out var item))
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>The earliest deadline of the items in flight, if any.</summary>
    public DateTimeOffset? EarliestDeadline()
    {
        DateTimeOffset? earliest = null;
        foreach (var item in _inFlight.Values)
        {
            if (earliest is null || item.Deadline < earliest)
            {
                earliest = item.Deadline;
            }
        }

        return earliest;
    }

    /// <summary>Removes and returns the items past their deadline.</summary>
    public List<WorkItem> TakeExpired(DateTimeOffset now)
    {
        var items = new List<WorkItem>();
        foreach (var pair in _inFlight)
        {
            if (pair.Value.Deadline <= now && _inFlight.TryRemove(pair.Key, out var item))
            {
                items.Add(item);
            }
        }

        return items;
    }
}
