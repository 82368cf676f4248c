using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace DurableGen.LocalService;

/// <summary>One invocation waiting in, or taken from, a function's Runtime API queue.</summary>
internal sealed class WorkItem
{
    public required string RequestId { get; init; }

    public required byte[] Body { get; init; }

    public required string InvokedFunctionArn { get; init; }

    public string TraceId { get; init; } = "";

    /// <summary>The durable execution this invocation belongs to (null for a plain invocation).</summary>
    public string? DurableExecutionArn { get; init; }

    /// <summary>
    /// A chained invoke of a plain function: the engine runs it as a child execution, but the function gets the invoke's
    /// payload as its event, and its response (or error) is that execution's outcome, as Lambda runs a plain function a
    /// durable one invokes.
    /// </summary>
    public bool PlainChild { get; init; }

    /// <summary>Completed with the outcome of a plain invocation.</summary>
    public TaskCompletionSource<PlainOutcome>? Outcome { get; init; }

    /// <summary>Set when a process takes the item.</summary>
    public DateTimeOffset Deadline { get; set; }

    /// <summary>The sandbox whose process took the item (0: a process that connected by itself).</summary>
    public int Sandbox { get; set; }
}

/// <summary>The outcome of a plain (not durable) invocation: the response body, or the function error body and
/// type.</summary>
internal sealed record PlainOutcome(byte[] Body, string? FunctionError);

/// <summary>A function's Runtime API state: the queue of invocations its sandboxes take with <c>next</c>, the
/// invocations in flight (each with the sandbox that holds it), and the processes the service runs for it.</summary>
internal sealed class FunctionHost
{
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>();
    private readonly ConcurrentDictionary<string, WorkItem> _inFlight = new(StringComparer.Ordinal);

    public FunctionHost(FunctionDefinition definition, string functionArn)
    {
        Definition = definition;
        FunctionArn = functionArn;
    }

    public FunctionDefinition Definition { get; }

    public string Name => Definition.Name;

    public string FunctionArn { get; }

    /// <summary>The sandboxes' processes (empty when the function's processes connect by themselves).</summary>
    public List<FunctionProcess> Processes { get; } = new();

    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];
    private int _starts;

    /// <summary>A sandbox endpoint token unique to this service run and process start.</summary>
    public string NewSandboxToken() =>
        _instance + Interlocked.Increment(ref _starts).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The process of <paramref name="sandbox"/> when <paramref name="token"/> is the one it was started
    /// with and it still runs.</summary>
    public FunctionProcess? Sandbox(int sandbox, string token) =>
        sandbox >= 1 && sandbox <= Processes.Count && Processes[sandbox - 1] is { Token: { } current } process
        && string.Equals(current, token, StringComparison.Ordinal)
            ? process
            : null;

    /// <summary>The last init error a process reported, if any.</summary>
    public string? InitError { get; set; }

    /// <summary>Invocations handed to processes so far.</summary>
    public int Delivered;

    public int QueueLength => _queue.Reader.Count;

    public int InFlightCount => _inFlight.Count;

    public void Enqueue(WorkItem item) => _queue.Writer.TryWrite(item);

    public async ValueTask<WorkItem> TakeAsync(TimeSpan timeout, int sandbox, CancellationToken cancellationToken)
    {
        var item = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        item.Deadline = DateTimeOffset.UtcNow + timeout;
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
