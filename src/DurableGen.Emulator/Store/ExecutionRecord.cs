using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>
/// The whole persisted state of one durable execution: its operation records, history, scheduling bookkeeping and the
/// current invocation. The engine owns its meaning; a store only persists it as one aggregate keyed by
/// <see cref="DurableExecutionArn"/> and indexes the columns of <see cref="ToIndexEntry"/>. Operations are only ever
/// appended (then updated in place), and recorded events are never changed after they are appended: a store may
/// persist both incrementally.
/// </summary>
internal sealed class ExecutionRecord
{
    /// <summary>The execution ARN (the aggregate key).</summary>
    public string DurableExecutionArn { get; set; } = "";

    /// <summary>The execution name (caller-given or generated).</summary>
    public string ExecutionName { get; set; } = "";

    /// <summary>The service-generated id: the last ARN segment and the EXECUTION operation's id.</summary>
    public string ExecutionId { get; set; } = "";

    /// <summary>The unqualified function name.</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>The function version the execution runs (<c>$LATEST</c> or a number).</summary>
    public string Version { get; set; } = "";

    /// <summary>The qualified function ARN.</summary>
    public string FunctionArn { get; set; } = "";

    /// <summary>The execution status.</summary>
    public ExecutionStatus Status { get; set; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset StartTimestamp { get; set; }

    /// <summary>When the execution closed.</summary>
    public DateTimeOffset? EndTimestamp { get; set; }

    /// <summary>The input payload given at start.</summary>
    public string? InputPayload { get; set; }

    /// <summary>The result (succeeded executions).</summary>
    public string? Result { get; set; }

    /// <summary>The error (failed, timed-out or stopped executions).</summary>
    public ErrorObject? Error { get; set; }

    /// <summary>The execution timeout in seconds.</summary>
    public int ExecutionTimeoutSeconds { get; set; }

    /// <summary>When the execution times out.</summary>
    public DateTimeOffset TimeoutAt { get; set; }

    /// <summary>The operation records in creation order (only ever appended to); the EXECUTION record is first.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // stored one row per operation by SqliteExecutionStore
    public List<Operation> Operations { get; set; } = new();

    /// <summary>Engine bookkeeping per operation id (timers, durations, chained-invoke targets).</summary>
    public Dictionary<string, OperationBookkeeping> Bookkeeping { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The history, oldest first; <c>EventId</c> = index + 1.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // stored in its REST wire shape by SqliteExecutionStore
    public List<Event> Events { get; set; } = new();

    /// <summary>The invocation in flight, if any.</summary>
    public ActiveInvocation? ActiveInvocation { get; set; }

    /// <summary>How many invocations were begun so far.</summary>
    public int InvocationCount { get; set; }

    /// <summary>The sequence number of the most recently issued checkpoint token.</summary>
    public long TokenSequence { get; set; }

    /// <summary>Whether the execution needs a new invocation (as soon as none is active).</summary>
    public bool Runnable { get; set; }

    /// <summary>Store-wide order in which executions became runnable (lower runs first).</summary>
    public long RunnableSequence { get; set; }

    /// <summary>Invocations that failed in a row (reset by a clean invocation).</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Operations the service changed since the last invocation began (the next envelope's
    /// <c>UpdatedOperationIds</c>).</summary>
    public List<string> UpdatedOperationIds { get; set; } = new();

    /// <summary>The last applied checkpoint, for <c>ClientToken</c> replays.</summary>
    public CheckpointReplay? LastCheckpoint { get; set; }

    /// <summary>The terminal execution event held back until the active invocation's <c>InvocationCompleted</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // stored in its REST wire shape by SqliteExecutionStore
    public Event? DeferredTerminalEvent { get; set; }

    /// <summary>Set when this execution was started by a CHAINED_INVOKE operation of another execution.</summary>
    public ParentLink? Parent { get; set; }

    /// <summary>Chained-invoke results that arrived while an invocation was active; applied when it ends.</summary>
    public List<ChildCompletion> PendingChildCompletions { get; set; } = new();

    /// <summary>The earliest pending timer of this execution (kept current by the engine).</summary>
    public DateTimeOffset? NextDueTime { get; set; }

    /// <summary>How many times the store saved this execution; a save of a copy loaded before the last save is
    /// refused (set by the store).</summary>
    public long StoreVersion { get; set; }

    /// <summary>Whether the execution is closed.</summary>
    public bool IsClosed => Status != ExecutionStatus.Running;

    /// <summary>The columns a store indexes.</summary>
    public ExecutionIndexEntry ToIndexEntry() => new(
        DurableExecutionArn, FunctionName, ExecutionName, FunctionArn, Version, Status, StartTimestamp, EndTimestamp,
        Runnable && ActiveInvocation is null && !IsClosed, RunnableSequence, IsClosed ? null : NextDueTime);

    /// <summary>A deep copy (recorded events are shared: they are immutable once appended).</summary>
    public ExecutionRecord Clone() => new()
    {
        DurableExecutionArn = DurableExecutionArn,
        ExecutionName = ExecutionName,
        ExecutionId = ExecutionId,
        FunctionName = FunctionName,
        Version = Version,
        FunctionArn = FunctionArn,
        Status = Status,
        StartTimestamp = StartTimestamp,
        EndTimestamp = EndTimestamp,
        InputPayload = InputPayload,
        Result = Result,
        Error = Error,
        ExecutionTimeoutSeconds = ExecutionTimeoutSeconds,
        TimeoutAt = TimeoutAt,
        Operations = Operations.Select(o => o.Clone()).ToList(),
        Bookkeeping = Bookkeeping.ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal),
        Events = new List<Event>(Events),
        ActiveInvocation = ActiveInvocation?.Clone(),
        InvocationCount = InvocationCount,
        TokenSequence = TokenSequence,
        Runnable = Runnable,
        RunnableSequence = RunnableSequence,
        ConsecutiveFailures = ConsecutiveFailures,
        UpdatedOperationIds = new List<string>(UpdatedOperationIds),
        LastCheckpoint = LastCheckpoint,
        DeferredTerminalEvent = DeferredTerminalEvent,
        Parent = Parent,
        PendingChildCompletions = new List<ChildCompletion>(PendingChildCompletions),
        NextDueTime = NextDueTime,
        StoreVersion = StoreVersion,
    };
}
