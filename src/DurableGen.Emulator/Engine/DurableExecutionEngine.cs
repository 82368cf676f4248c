using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>
/// The durable execution service: executions, operation records, checkpoint validation, history events, timers,
/// callbacks, chained invokes and re-invocation. Passive and thread-safe: hosts call it (the function-facing APIs, the
/// management APIs, and the scheduling calls <see cref="TryBeginInvocation"/>, <see cref="CompleteInvocation"/>,
/// <see cref="FailInvocation"/> and <see cref="FireDueTimers"/>); it never starts threads or reads the wall clock,
/// only the <see cref="TimeProvider"/> it was given. Rejected requests throw <see cref="DurableServiceException"/>.
/// </summary>
public sealed partial class DurableExecutionEngine
{
    private readonly object _gate = new();
    private readonly IExecutionStore _store;
    private readonly TimeProvider _clock;
    private readonly EngineOptions _options;
    private readonly Dictionary<string, TaskCompletionSource> _closeWaiters = new(StringComparer.Ordinal);
    private ExecutionUnitOfWork? _work;

    /// <summary>Creates an engine over a store and a clock.</summary>
    public DurableExecutionEngine(IExecutionStore store, TimeProvider clock, EngineOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? new EngineOptions();
    }

    /// <summary>The engine's settings.</summary>
    public EngineOptions Options => _options;

    /// <summary>The clock the engine reads.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>Now, truncated to whole milliseconds (the precision of every wire timestamp).</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_clock.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Runs one request that may change executions: under the lock, with a unit of work that commits every
    /// record the request changed in one store transaction when it returns, and puts them back when it throws. The
    /// result is handed out only once the commit is durable; the wait is outside the lock, so requests of other
    /// executions go on meanwhile and their commits share the store's next transaction (group commit).</summary>
    private T Write<T>(Func<T> request)
    {
        var (result, durable) = Stage(request);
        durable.GetAwaiter().GetResult();
        return result;
    }

    /// <summary><see cref="Write{T}"/> for an asynchronous caller: the durability wait is awaited, not blocked on.</summary>
    private async Task<T> WriteAsync<T>(Func<T> request)
    {
        var (result, durable) = Stage(request);
        await durable.ConfigureAwait(false);
        return result;
    }

    private (T Result, Task Durable) Stage<T>(Func<T> request)
    {
        lock (_gate)
        {
            _work = new ExecutionUnitOfWork(_store);
            try
            {
                var result = request();
                var closed = _closeWaiters.Count == 0 ? null : _work.StagedClosed();
                var durable = _work.Commit();
                if (closed is not null)
                {
                    CompleteCloseWaiters(closed, durable);
                }

                return (result, durable);
            }
            catch
            {
                _work.Rollback(); // the store's records were changed in place: put them back
                throw;
            }
            finally
            {
                _work = null;
            }
        }
    }

    /// <summary>Runs a read of one execution under the lock and hands its answer out once every commit of that
    /// execution it may have seen is durable: a reader is never told of a change that a crash could still take back.</summary>
    private T Read<T>(string durableExecutionArn, Func<T> read)
    {
        var (result, durable) = ReadStage(durableExecutionArn, read);
        if (!durable.IsCompleted)
        {
            durable.GetAwaiter().GetResult();
        }

        return result;
    }

    /// <summary><see cref="Read{T}"/> for an asynchronous caller: the durability wait is awaited, not blocked on.</summary>
    private async Task<T> ReadAsync<T>(string durableExecutionArn, Func<T> read)
    {
        var (result, durable) = ReadStage(durableExecutionArn, read);
        if (!durable.IsCompleted)
        {
            await durable.ConfigureAwait(false);
        }

        return result;
    }

    private (T Result, Task Durable) ReadStage<T>(string durableExecutionArn, Func<T> read)
    {
        lock (_gate)
        {
            var result = read();
            return (result, string.IsNullOrEmpty(durableExecutionArn) ? Task.CompletedTask : _store.WhenDurable(durableExecutionArn));
        }
    }

    private void Write(Action request) => Write(() =>
    {
        request();
        return true;
    });

    private ExecutionUnitOfWork Work =>
        _work ?? throw new InvalidOperationException("Executions change only inside a request (Write).");

    /// <summary>The stored execution: journaled by the request's unit of work inside a write request, read as it is
    /// (under the lock, never changed) outside one.</summary>
    private ExecutionRecord? Load(string durableExecutionArn) =>
        _work is { } work ? work.Load(durableExecutionArn) : _store.Read(durableExecutionArn);

    private ExecutionRecord LoadOrNotFound(string durableExecutionArn)
    {
        if (string.IsNullOrEmpty(durableExecutionArn))
        {
            throw DurableServiceException.InvalidParameter("DurableExecutionArn is required.");
        }

        return Load(durableExecutionArn)
            ?? throw DurableServiceException.NotFound($"Durable execution {durableExecutionArn} not found.");
    }

    /// <summary>Stages a record after refreshing its timer column, then hands a closed child's outcome to its caller;
    /// both reach the store in the request's one commit, so a crash cannot keep the child closed and delivered while
    /// losing the caller's copy of the result.</summary>
    private void Persist(ExecutionRecord record)
    {
        record.NextDueTime = record.IsClosed ? null : ComputeNextDueTime(record);
        var notifyParent = record.IsClosed && record.Parent is { Delivered: false };
        if (notifyParent)
        {
            record.Parent = record.Parent! with { Delivered = true };
        }

        Work.Save(record);
        if (notifyParent)
        {
            DeliverToParent(record);
        }
    }

    private static void AppendEvent(ExecutionRecord record, Event item)
    {
        item.EventId = record.Events.Count + 1;
        record.Events.Add(item);
    }

    private static Event NewEvent(EventType type, DateTimeOffset timestamp, string? id, string? name, string? subType,
        string? parentId) => new()
        {
            EventType = type,
            EventTimestamp = timestamp,
            Id = id,
            Name = name,
            SubType = subType,
            ParentId = parentId,
        };

    private static Event NewEvent(EventType type, DateTimeOffset timestamp, Operation operation) =>
        NewEvent(type, timestamp, operation.Id, operation.Name, operation.SubType, operation.ParentId);

    /// <summary>The operation with this id, to change (the request's journal keeps its original).</summary>
    private static Operation? FindOperation(ExecutionRecord record, string id) => record.ChangeOperation(id);

    private static Operation ExecutionOperation(ExecutionRecord record) => record.ChangeAt(0);

    private static OperationBookkeeping Bookkeeping(ExecutionRecord record, string operationId) =>
        record.ChangeBookkeeping(operationId, create: true)!;

    private void MakeRunnable(ExecutionRecord record)
    {
        if (record.IsClosed || record.Runnable)
        {
            return;
        }

        record.Runnable = true;
        record.RunnableSequence = _store.NextSequence();
    }

    /// <summary>Records a change the service made on its own: shown to the active invocation's next checkpoint, listed
    /// in the next envelope's <c>UpdatedOperationIds</c>, and a reason to invoke again.</summary>
    private void MarkServiceChange(ExecutionRecord record, string operationId)
    {
        if (!record.UpdatedOperationIds.Contains(operationId))
        {
            record.UpdatedOperationIds.Add(operationId);
        }

        if (record.ActiveInvocation is { } active && !active.ChangedOperationIds.Contains(operationId))
        {
            active.ChangedOperationIds.Add(operationId);
        }

        MakeRunnable(record);
    }

    private static ErrorObject? CopyError(ErrorObject? error) => error is null
        ? null
        : new ErrorObject
        {
            ErrorType = error.ErrorType,
            ErrorMessage = error.ErrorMessage,
            ErrorData = error.ErrorData,
            StackTrace = error.StackTrace is null ? null : new List<string>(error.StackTrace),
        };

    /// <summary>A deep copy of a record for callers (errors included).</summary>
    private static Operation CopyOperation(Operation operation)
    {
        var copy = operation.Clone();
        if (copy.ContextDetails is { } context)
        {
            context.Error = CopyError(context.Error);
        }

        if (copy.StepDetails is { } step)
        {
            step.Error = CopyError(step.Error);
        }

        if (copy.CallbackDetails is { } callback)
        {
            callback.Error = CopyError(callback.Error);
        }

        if (copy.ChainedInvokeDetails is { } invoke)
        {
            invoke.Error = CopyError(invoke.Error);
        }

        return copy;
    }

    private static Event CopyEvent(Event item) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(item, ProtocolJson.Rest.Event), ProtocolJson.Rest.Event)!;

    private int ErrorSize(ErrorObject error) =>
        JsonSerializer.SerializeToUtf8Bytes(error, ProtocolJson.Rest.ErrorObject).Length;

    private void ValidateErrorSize(ErrorObject? error)
    {
        if (error is not null && ErrorSize(error) >= _options.MaxErrorBytes)
        {
            throw DurableServiceException.InvalidParameter(
                $"Error object size must be less than {_options.MaxErrorBytes} bytes.");
        }
    }

    private static DurableServiceException CallbackClosed(string message) =>
        new(ErrorCodes.CallbackTimeout, 400, message);
}
