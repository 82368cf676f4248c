using System;
using System.Collections.Generic;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>Callback timeout error type (protocol §6.3).</summary>
    public const string CallbackTimeoutErrorType = "Callback.Timeout";

    /// <summary>Callback heartbeat timeout error type (protocol §6.3).</summary>
    public const string CallbackHeartbeatErrorType = "Callback.Heartbeat";

    /// <summary>Execution timeout error type.</summary>
    public const string ExecutionTimeoutErrorType = "Execution.Timeout";

    /// <summary>The earliest pending timer of any open execution (wait end, step retry, callback timeout, heartbeat
    /// deadline, execution timeout), or null when none is pending.</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_gate)
            {
                return _store.GetNextDueTime();
            }
        }
    }

    /// <summary>Applies every timer due at the clock's current time; returns how many fired. Executions go one at a
    /// time, the one whose earliest timer is due first first, each fired in due order. Firing one can change another
    /// (a chained invoke's child that times out is delivered to its parent): the request's unit of work hands both
    /// the same copy of the parent, and commits them together.</summary>
    public int FireDueTimers()
    {
        // The driver asks after every change; most of the time nothing is due, and that answer needs no request.
        if (NextDueTime is not { } next || next > Now())
        {
            return 0;
        }

        return Write(() =>
        {
            var now = Now();
            var fired = 0;
            foreach (var arn in _store.FindDue(now))
            {
                var record = Load(arn);
                if (record is null || record.IsClosed)
                {
                    continue;
                }

                var due = new List<(DateTimeOffset Due, int Order, Timer Timer)>();
                var order = 0;
                foreach (var timer in EnumerateTimers(record))
                {
                    if (timer.Due <= now)
                    {
                        due.Add((timer.Due, order++, timer));
                    }
                }

                due.Sort((a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Order.CompareTo(b.Order));
                var firedHere = 0;
                foreach (var (_, _, timer) in due)
                {
                    if (Fire(record, timer, now))
                    {
                        firedHere++;
                    }
                }

                if (firedHere > 0)
                {
                    Persist(record);
                    fired += firedHere;
                }
            }

            return fired;
        });
    }

    private static DateTimeOffset? ComputeNextDueTime(ExecutionRecord record)
    {
        DateTimeOffset? next = null;
        foreach (var timer in EnumerateTimers(record))
        {
            if (next is null || timer.Due < next)
            {
                next = timer.Due;
            }
        }

        return next;
    }

    /// <summary>The pending timers of an open execution: operations in creation order (each type's rules say which
    /// it keeps), the execution timeout last (so at equal due times operation timers win).</summary>
    private static IEnumerable<Timer> EnumerateTimers(ExecutionRecord record)
    {
        if (record.IsClosed)
        {
            yield break;
        }

        // Only open operations can hold a timer: the record keeps their positions, so this is not a walk of the history.
        foreach (var position in record.OpenPositions())
        {
            var operation = record.Operations[position];
            if (RulesFor(operation.Type) is { } rules)
            {
                foreach (var timer in rules.Timers(record, operation))
                {
                    yield return timer;
                }
            }
        }

        yield return ExecutionRules.TimeoutTimer(record);
    }

    /// <summary>Applies one timer if it still holds (its type's rules decide); returns whether anything changed.</summary>
    private bool Fire(ExecutionRecord record, Timer timer, DateTimeOffset now)
    {
        if (record.IsClosed)
        {
            return false;
        }

        if (timer.Kind == TimerKind.ExecutionTimeout)
        {
            ExecutionRules.FireTimeout(record, now);
            return true;
        }

        var operation = FindOperation(record, timer.OperationId!)!;
        if (!RulesFor(timer.Type)!.Fire(record, operation, timer, now))
        {
            return false;
        }

        MarkServiceChange(record, operation.Id);
        return true;
    }

    private enum TimerKind
    {
        WaitEnd,
        StepRetry,
        CallbackTimeout,
        CallbackHeartbeat,
        ExecutionTimeout,
    }

    private readonly record struct Timer(TimerKind Kind, DateTimeOffset Due, OperationType Type, string? OperationId);
}
