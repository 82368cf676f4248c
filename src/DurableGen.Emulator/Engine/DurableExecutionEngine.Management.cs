using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary><c>GetDurableExecution</c>. Unknown ARN: <c>ResourceNotFoundException</c>.</summary>
    public GetDurableExecutionResponse GetExecution(string durableExecutionArn, bool includeExecutionData = true) =>
        Read(durableExecutionArn, () => DescribeExecution(durableExecutionArn, includeExecutionData));

    /// <summary><see cref="GetExecution"/> for an asynchronous host: a wait for the durability of what it read is
    /// awaited, not blocked on.</summary>
    public Task<GetDurableExecutionResponse> GetExecutionAsync(string durableExecutionArn, bool includeExecutionData = true) =>
        ReadAsync(durableExecutionArn, () => DescribeExecution(durableExecutionArn, includeExecutionData));

    /// <summary>Completes once the execution is closed and its close is durable (at once when it is). One task per
    /// execution, completed by the request that closes it: a host that waits for many executions (a synchronous
    /// Invoke, a test) is woken once per close, instead of re-reading every execution on every change. Unknown ARN:
    /// <c>ResourceNotFoundException</c>.</summary>
    public Task WhenClosedAsync(string durableExecutionArn)
    {
        lock (_gate)
        {
            InputValidation.ExecutionArn(durableExecutionArn);
            if (LoadOrNotFound(durableExecutionArn).IsClosed)
            {
                return _store.WhenDurable(durableExecutionArn);
            }

            if (!_closeWaiters.TryGetValue(durableExecutionArn, out var waiter))
            {
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _closeWaiters[durableExecutionArn] = waiter;
            }

            return waiter.Task;
        }
    }

    /// <summary>Hands the waiters of executions a request closed their answer once the close is durable (under the lock,
    /// after the request's commit was queued).</summary>
    private void CompleteCloseWaiters(List<string> closed, Task durable)
    {
        foreach (var arn in closed)
        {
            if (_closeWaiters.Remove(arn, out var waiter))
            {
                durable.ContinueWith(
                    static (commit, state) =>
                    {
                        var waiter = (TaskCompletionSource)state!;
                        if (commit.Exception is { } failure)
                        {
                            waiter.TrySetException(failure.InnerExceptions);
                        }
                        else
                        {
                            waiter.TrySetResult();
                        }
                    },
                    waiter, System.Threading.CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private GetDurableExecutionResponse DescribeExecution(string durableExecutionArn, bool includeExecutionData)
    {
        InputValidation.ExecutionArn(durableExecutionArn);
        var record = LoadOrNotFound(durableExecutionArn);
        return new GetDurableExecutionResponse
        {
            DurableExecutionArn = record.DurableExecutionArn,
            DurableExecutionName = record.ExecutionName,
            FunctionArn = record.FunctionArn,
            InputPayload = includeExecutionData ? record.InputPayload : null,
            Result = includeExecutionData && record.Status == ExecutionStatus.Succeeded ? record.Result : null,
            Error = includeExecutionData && record.IsClosed ? CopyError(record.Error) : null,
            StartTimestamp = record.StartTimestamp,
            Status = record.Status,
            EndTimestamp = record.EndTimestamp,
            Version = record.Version,
        };
    }

    /// <summary>
    /// <c>GetDurableExecutionHistory</c>: one page of events (default 100, at most 1000), oldest first unless
    /// <paramref name="reverseOrder"/>. The marker is the next <c>EventId</c> to return. With
    /// <paramref name="includeExecutionData"/> false every payload is left out (the wrappers stay).
    /// </summary>
    public GetDurableExecutionHistoryResponse GetExecutionHistory(string durableExecutionArn, string? marker = null,
        int? maxItems = null, bool reverseOrder = false, bool includeExecutionData = true)
    {
        return Read(durableExecutionArn, () =>
        {
            InputValidation.ExecutionArn(durableExecutionArn);
            var record = LoadOrNotFound(durableExecutionArn);
            var size = maxItems ?? 0;
            if (size is < 0 or > 1000)
            {
                throw DurableServiceException.InvalidParameter("MaxItems must be between 0 and 1000.");
            }

            size = size == 0 ? 100 : size;
            var count = record.Events.Count;
            int next; // EventId of the first event of the page
            if (string.IsNullOrEmpty(marker))
            {
                next = reverseOrder ? count : 1;
            }
            else if (!int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out next) || next < 1 || next > count)
            {
                throw DurableServiceException.InvalidParameter("Invalid Marker.");
            }

            var events = new List<Event>();
            while (events.Count < size && next >= 1 && next <= count)
            {
                events.Add(ShapeEvent(record.Events[next - 1], includeExecutionData));
                next += reverseOrder ? -1 : 1;
            }

            var more = next >= 1 && next <= count;
            return new GetDurableExecutionHistoryResponse
            {
                Events = events,
                NextMarker = more && count > 0 ? next.ToString(CultureInfo.InvariantCulture) : null,
            };
        });
    }

    /// <summary>Every history event of an execution, oldest first (copies).</summary>
    public IReadOnlyList<Event> GetHistoryEvents(string durableExecutionArn)
    {
        return Read(durableExecutionArn, () =>
        {
            var record = LoadOrNotFound(durableExecutionArn);
            var events = new List<Event>(record.Events.Count);
            foreach (var item in record.Events)
            {
                events.Add(CopyEvent(item));
            }

            return events;
        });
    }

    /// <summary>Every operation record of an execution in creation order, unpruned (copies).</summary>
    public IReadOnlyList<Operation> GetOperations(string durableExecutionArn)
    {
        return Read(durableExecutionArn, () =>
        {
            var record = LoadOrNotFound(durableExecutionArn);
            var operations = new List<Operation>(record.Operations.Count);
            foreach (var operation in record.Operations)
            {
                operations.Add(CopyOperation(operation));
            }

            return operations;
        });
    }

    /// <summary>Every execution of a function matching the filters, newest first.</summary>
    public IReadOnlyList<ExecutionSummary> ListExecutions(string functionName, string? qualifier = null,
        string? executionName = null, IReadOnlyList<ExecutionStatus>? statuses = null)
    {
        var all = new List<ExecutionSummary>();
        string? marker = null;
        do
        {
            var page = ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest
            {
                FunctionName = functionName,
                Qualifier = qualifier,
                DurableExecutionName = executionName,
                Statuses = statuses,
                Marker = marker,
                MaxItems = 1000,
            });
            all.AddRange(page.DurableExecutions);
            marker = page.NextMarker;
        }
        while (marker is not null);

        return all;
    }

    /// <summary><c>ListDurableExecutionsByFunction</c> (protocol §2.5): one page; newest first unless
    /// <see cref="ListDurableExecutionsByFunctionRequest.ReverseOrder"/>. A qualifier in the function ARN acts as
    /// <see cref="ListDurableExecutionsByFunctionRequest.Qualifier"/>; a <c>MaxItems</c> of 0 or absent means 100.</summary>
    public ListExecutionsResult ListExecutionsByFunction(ListDurableExecutionsByFunctionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (name, embedded) = FunctionNames.Parse(request.FunctionName);
        var qualifier = request.Qualifier ?? embedded;
        if (request.Qualifier is not null && request.Qualifier.Length is 0 or > 128)
        {
            throw DurableServiceException.InvalidParameter("Qualifier must be 1-128 characters.");
        }

        if (request.Statuses is { Count: 0 or > 10 })
        {
            throw DurableServiceException.InvalidParameter("Statuses must have 1-10 entries.");
        }

        var size = request.MaxItems ?? 0;
        if (size is < 0 or > 1000)
        {
            throw DurableServiceException.InvalidParameter("MaxItems must be between 0 and 1000.");
        }

        size = size == 0 ? 100 : size;
        ExecutionListKey? after = null;
        if (!string.IsNullOrEmpty(request.Marker))
        {
            after = ExecutionListKey.TryParseMarker(request.Marker, out var key)
                ? key
                : throw DurableServiceException.InvalidParameter("Invalid Marker.");
        }

        lock (_gate)
        {
            // One more than a page: whether it exists says whether there is a next page.
            var matches = _store.ListByFunction(name, request.ReverseOrder == true, after, entry =>
                    (qualifier is null || string.Equals(entry.Version, qualifier, StringComparison.Ordinal))
                    && (request.DurableExecutionName is null || string.Equals(entry.ExecutionName, request.DurableExecutionName, StringComparison.Ordinal))
                    && (request.Statuses is null || Contains(request.Statuses, entry.Status))
                    && (request.StartedAfter is null || entry.StartTimestamp > request.StartedAfter)
                    && (request.StartedBefore is null || entry.StartTimestamp < request.StartedBefore),
                size + 1);
            var page = new List<ExecutionSummary>(Math.Min(size, matches.Count));
            for (var i = 0; i < matches.Count && page.Count < size; i++)
            {
                var e = matches[i];
                page.Add(new ExecutionSummary(e.DurableExecutionArn, e.ExecutionName, e.FunctionArn, e.Status,
                    e.StartTimestamp, e.EndTimestamp));
            }

            return new ListExecutionsResult(page,
                matches.Count > size ? ExecutionListKey.Of(matches[size - 1]).ToMarker() : null);
        }
    }

    /// <summary>
    /// <c>StopDurableExecution</c>: the execution becomes STOPPED with <paramref name="error"/> (when absent or with
    /// no field set, the message "Execution stopped by user request") and <c>ExecutionStopped</c> is recorded; an in-flight invocation is not
    /// interrupted but its token stops working, and it is closed in the history at the stop (<c>InvocationCompleted</c>
    /// then <c>ExecutionStopped</c>, both at the stop time), so every read after the stop sees the terminal event last
    /// and the function's late response is ignored. Returns the stop timestamp (the existing end time when the
    /// execution was already closed).
    /// </summary>
    public DateTimeOffset StopExecution(string durableExecutionArn, ErrorObject? error = null)
    {
        return Write(() =>
        {
            InputValidation.ExecutionArn(durableExecutionArn);
            error = InputValidation.NormalizeError(error);
            var record = LoadOrNotFound(durableExecutionArn);
            if (record.IsClosed)
            {
                return record.EndTimestamp!.Value;
            }

            ValidateErrorSize(error);
            var now = Now();
            CloseStopped(record, CopyError(error) ?? new ErrorObject { ErrorMessage = "Execution stopped by user request" }, now);
            Persist(record);
            return now;
        });
    }

    /// <summary>Whether an invocation of the execution is in flight.</summary>
    public bool HasActiveInvocation(string durableExecutionArn) => GetSchedulingState(durableExecutionArn).HasActiveInvocation;

    /// <summary>Whether the execution needs an invocation (it may have to wait for the active one to end).</summary>
    public bool IsRunnable(string durableExecutionArn) => GetSchedulingState(durableExecutionArn).IsRunnable;

    /// <summary>Whether any execution can be invoked right now.</summary>
    public bool HasRunnableExecution
    {
        get
        {
            lock (_gate)
            {
                return _store.FindRunnable() is not null;
            }
        }
    }

    /// <summary>Changes whenever an execution may have become runnable or stopped being, or a due time of an open
    /// execution may have changed: a driver that looked at the engine at this version has nothing new to schedule (see
    /// <see cref="Hosting.ExecutionDriver.SignalIfChanged"/>).</summary>
    public long SchedulingVersion => _store.SchedulingVersion;

    /// <summary>Status, runnability, active invocation and next timer of one execution.</summary>
    public ExecutionSchedulingState GetSchedulingState(string durableExecutionArn)
    {
        lock (_gate)
        {
            var record = LoadOrNotFound(durableExecutionArn);
            return new ExecutionSchedulingState(record.Status, record.Runnable && !record.IsClosed,
                record.ActiveInvocation is not null, record.IsClosed ? null : record.NextDueTime, record.InvocationCount,
                EnumerateTimers(record).Any(t => t.Kind != TimerKind.ExecutionTimeout));
        }
    }

    private static Event ShapeEvent(Event item, bool includeExecutionData)
    {
        var copy = CopyEvent(item);
        if (includeExecutionData)
        {
            return copy;
        }

        Strip(copy.ExecutionStartedDetails?.Input);
        foreach (var details in new[]
        {
            copy.ExecutionSucceededDetails, copy.ContextSucceededDetails, copy.StepSucceededDetails,
            copy.ChainedInvokeSucceededDetails, copy.CallbackSucceededDetails,
        })
        {
            Strip(details?.Result);
        }

        foreach (var details in new[]
        {
            copy.ExecutionFailedDetails, copy.ExecutionTimedOutDetails, copy.ExecutionStoppedDetails,
            copy.ContextFailedDetails, copy.WaitCancelledDetails, copy.StepFailedDetails, copy.ChainedInvokeFailedDetails,
            copy.ChainedInvokeTimedOutDetails, copy.ChainedInvokeStoppedDetails, copy.CallbackFailedDetails,
            copy.CallbackTimedOutDetails,
        })
        {
            if (details?.Error is { } error)
            {
                error.Payload = null;
            }
        }

        Strip(copy.ChainedInvokeStartedDetails?.Input);
        if (copy.InvocationCompletedDetails?.Error is { } invocationError)
        {
            invocationError.Payload = null;
        }

        return copy;

        static void Strip(EventPayload? payload)
        {
            if (payload is not null)
            {
                payload.Payload = null;
            }
        }
    }

    private static bool Contains(IReadOnlyList<ExecutionStatus> statuses, ExecutionStatus status)
    {
        foreach (var candidate in statuses)
        {
            if (candidate == status)
            {
                return true;
            }
        }

        return false;
    }
}
