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
    private Dictionary<string, int>? _positions;
    private SortedSet<int>? _open;
    private List<int>? _touched;
    private ExecutionChanges? _changes;

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

    /// <summary>The journal of the request changing this record in place, if one is (see <see cref="BeginChanges"/>).</summary>
    internal ExecutionChanges? Changes => _changes;

    /// <summary>Whether the execution is closed.</summary>
    public bool IsClosed => Status != ExecutionStatus.Running;

    /// <summary>The columns a store indexes.</summary>
    public ExecutionIndexEntry ToIndexEntry() => new(
        DurableExecutionArn, FunctionName, ExecutionName, FunctionArn, Version, Status, StartTimestamp, EndTimestamp,
        Runnable && ActiveInvocation is null && !IsClosed, RunnableSequence, IsClosed ? null : NextDueTime);

    /// <summary>The operation with this id (to read), or null. A dictionary look-up: a long history costs nothing here.</summary>
    internal Operation? FindOperation(string id) => Positions().TryGetValue(id, out var position) ? Operations[position] : null;

    /// <summary>The position (creation order) of the operation with this id, or -1.</summary>
    internal int PositionOf(string id) => Positions().TryGetValue(id, out var position) ? position : -1;

    /// <summary>The operation with this id, to change: the request's journal keeps its original (to undo, and so the
    /// store writes only this row).</summary>
    internal Operation? ChangeOperation(string id) => Positions().TryGetValue(id, out var position) ? ChangeAt(position) : null;

    /// <summary>The operation at <paramref name="position"/>, to change (see <see cref="ChangeOperation"/>).</summary>
    internal Operation ChangeAt(int position)
    {
        _changes?.Touch(position, Operations[position]);
        (_touched ??= new List<int>()).Add(position);
        return Operations[position];
    }

    /// <summary>Appends a new operation.</summary>
    internal void AddOperation(Operation operation)
    {
        Positions().Add(operation.Id, Operations.Count);
        (_touched ??= new List<int>()).Add(Operations.Count);
        Operations.Add(operation);
    }

    /// <summary>The bookkeeping of an operation, to change (created when missing and <paramref name="create"/>);
    /// the journal keeps the original.</summary>
    internal OperationBookkeeping? ChangeBookkeeping(string operationId, bool create)
    {
        Bookkeeping.TryGetValue(operationId, out var bookkeeping);
        if (bookkeeping is null && !create)
        {
            return null;
        }

        _changes?.TouchBookkeeping(operationId, bookkeeping);
        if (bookkeeping is null)
        {
            bookkeeping = new OperationBookkeeping();
            Bookkeeping[operationId] = bookkeeping;
        }

        return bookkeeping;
    }

    /// <summary>Positions of the operations not in a terminal status (the only ones that can hold a timer or be
    /// pending), in creation order: kept up to date from the operations changed since, so a request never walks the
    /// whole history to find its timers.</summary>
    internal IReadOnlyCollection<int> OpenPositions()
    {
        if (_open is null)
        {
            _open = new SortedSet<int>();
            for (var i = 0; i < Operations.Count; i++)
            {
                if (!Operation.IsTerminal(Operations[i].Status))
                {
                    _open.Add(i);
                }
            }

            _touched = null;
        }
        else if (_touched is { Count: > 0 })
        {
            foreach (var position in _touched)
            {
                if (Operation.IsTerminal(Operations[position].Status))
                {
                    _open.Remove(position);
                }
                else
                {
                    _open.Add(position);
                }
            }

            _touched.Clear();
        }

        return _open;
    }

    /// <summary>Starts a journal of in-place changes (the store's own copy is being changed by a request):
    /// <see cref="ExecutionChanges.Undo"/> puts every change back; <see cref="EndChanges"/> keeps them.</summary>
    internal ExecutionChanges BeginChanges()
    {
        if (_changes is not null)
        {
            throw new InvalidOperationException($"Execution {DurableExecutionArn} is already being changed.");
        }

        _changes = new ExecutionChanges(this);
        return _changes;
    }

    /// <summary>Ends the journal, keeping the changes.</summary>
    internal void EndChanges() => _changes = null;

    /// <summary>Forgets the derived indexes (after an undo truncated or replaced operations).</summary>
    internal void ResetIndexes()
    {
        _positions = null;
        _open = null;
        _touched = null;
    }

    /// <summary>Copies every member except the operations, history and bookkeeping from <paramref name="source"/>
    /// (the journal's snapshot; small collections are copied).</summary>
    internal void CopyScalarsFrom(ExecutionRecord source)
    {
        DurableExecutionArn = source.DurableExecutionArn;
        ExecutionName = source.ExecutionName;
        ExecutionId = source.ExecutionId;
        FunctionName = source.FunctionName;
        Version = source.Version;
        FunctionArn = source.FunctionArn;
        Status = source.Status;
        StartTimestamp = source.StartTimestamp;
        EndTimestamp = source.EndTimestamp;
        InputPayload = source.InputPayload;
        Result = source.Result;
        Error = source.Error;
        ExecutionTimeoutSeconds = source.ExecutionTimeoutSeconds;
        TimeoutAt = source.TimeoutAt;
        ActiveInvocation = source.ActiveInvocation?.Clone();
        InvocationCount = source.InvocationCount;
        TokenSequence = source.TokenSequence;
        Runnable = source.Runnable;
        RunnableSequence = source.RunnableSequence;
        ConsecutiveFailures = source.ConsecutiveFailures;
        UpdatedOperationIds = new List<string>(source.UpdatedOperationIds);
        LastCheckpoint = source.LastCheckpoint;
        DeferredTerminalEvent = source.DeferredTerminalEvent;
        Parent = source.Parent;
        PendingChildCompletions = new List<ChildCompletion>(source.PendingChildCompletions);
        NextDueTime = source.NextDueTime;
        StoreVersion = source.StoreVersion;
    }

    private Dictionary<string, int> Positions()
    {
        if (_positions is null || _positions.Count != Operations.Count)
        {
            _positions = new Dictionary<string, int>(Operations.Count, StringComparer.Ordinal);
            for (var i = 0; i < Operations.Count; i++)
            {
                _positions[Operations[i].Id] = i;
            }
        }

        return _positions;
    }

    /// <summary>A deep copy (recorded events are shared: they are immutable once appended).</summary>
    public ExecutionRecord Clone()
    {
        var copy = new ExecutionRecord
        {
            Operations = Operations.Select(o => o.Clone()).ToList(),
            Bookkeeping = Bookkeeping.ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal),
            Events = new List<Event>(Events),
        };
        copy.CopyScalarsFrom(this);
        return copy;
    }
}
