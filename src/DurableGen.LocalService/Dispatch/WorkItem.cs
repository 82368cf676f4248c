using System;
using System.Threading.Tasks;

namespace DurableGen.LocalService.Dispatch;

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
