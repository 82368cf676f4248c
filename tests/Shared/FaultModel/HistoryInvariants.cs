using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.Protocol;

namespace DurableGen.TestSupport.FaultModel;

/// <summary>
/// What every execution's history and operation records must satisfy at its end, whatever faults it went through
/// (issue 19): event ids dense and increasing, timestamps non-decreasing, no event for an operation the records do not
/// have, every started operation closed (its last event agreeing with its record's status) or still pending, and
/// parents closed after their children.
/// </summary>
internal static class HistoryInvariants
{
    /// <summary>Returns one line per broken invariant (empty when all hold).</summary>
    public static List<string> Check(IReadOnlyList<Event> history, IEnumerable<Operation> operations)
    {
        var problems = new List<string>();
        var records = operations.Where(o => o.Type != OperationType.Execution).ToDictionary(o => o.Id, StringComparer.Ordinal);
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].EventId != i + 1)
            {
                problems.Add($"event #{i + 1} has id {history[i].EventId}: ids are not dense and increasing");
                break;
            }
        }

        for (var i = 1; i < history.Count; i++)
        {
            if (history[i].EventTimestamp < history[i - 1].EventTimestamp)
            {
                problems.Add($"event {history[i].EventId} ({history[i].EventType}) at {history[i].EventTimestamp:O} is earlier than " +
                    $"event {history[i - 1].EventId} at {history[i - 1].EventTimestamp:O}");
            }
        }

        var byOperation = new Dictionary<string, List<Event>>(StringComparer.Ordinal);
        foreach (var e in history.Where(e => e.Id is not null && !IsExecutionLevel(e.EventType)))
        {
            if (!records.ContainsKey(e.Id!))
            {
                problems.Add($"event {e.EventId} ({e.EventType}) is for operation {e.Id}, which has no record");
                continue;
            }

            if (!byOperation.TryGetValue(e.Id!, out var list))
            {
                byOperation[e.Id!] = list = new List<Event>();
            }

            list.Add(e);
        }

        var closedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records.Values)
        {
            var events = byOperation.GetValueOrDefault(record.Id) ?? new List<Event>();
            var closed = Operation.IsTerminal(record.Status);
            var last = events.Count > 0 ? events[^1] : null;
            if (closed)
            {
                if (last is null || Outcome(last) != record.Status)
                {
                    problems.Add($"operation {record.Id} ({record.Type} {record.Name}) is {record.Status}, but its last event is " +
                        (last is null ? "missing" : $"{last.EventType} (event {last.EventId})"));
                }
                else
                {
                    closedAt[record.Id] = last.EventId;
                }
            }
            else if (events.Count == 0 && record.Status != OperationStatus.Ready)
            {
                problems.Add($"operation {record.Id} ({record.Type} {record.Name}) is {record.Status} without any event");
            }
        }

        foreach (var record in records.Values)
        {
            if (record.ParentId is { } parent && closedAt.TryGetValue(parent, out var parentClosed))
            {
                if (!closedAt.TryGetValue(record.Id, out var childClosed))
                {
                    problems.Add($"operation {record.Id} ({record.Name}) is {record.Status}, but its parent {parent} has closed");
                }
                else if (childClosed > parentClosed)
                {
                    problems.Add($"operation {record.Id} ({record.Name}) closed at event {childClosed}, after its parent {parent} " +
                        $"at event {parentClosed}");
                }
            }
        }

        return problems;
    }

    private static bool IsExecutionLevel(EventType type) =>
        type is EventType.ExecutionStarted or EventType.ExecutionSucceeded or EventType.ExecutionFailed
            or EventType.ExecutionTimedOut or EventType.ExecutionStopped or EventType.InvocationCompleted;

    /// <summary>The status an operation's last event leaves it in, or null for an event that does not close it (a step's
    /// failed attempt with another to come closes nothing).</summary>
    private static OperationStatus? Outcome(Event e) => e.EventType switch
    {
        EventType.StepSucceeded when e.StepSucceededDetails?.RetryDetails?.NextAttemptDelaySeconds is null => OperationStatus.Succeeded,
        EventType.StepFailed when e.StepFailedDetails?.RetryDetails?.NextAttemptDelaySeconds is null => OperationStatus.Failed,
        EventType.ContextSucceeded or EventType.WaitSucceeded or EventType.ChainedInvokeSucceeded or EventType.CallbackSucceeded
            => OperationStatus.Succeeded,
        EventType.ContextFailed or EventType.ChainedInvokeFailed or EventType.CallbackFailed => OperationStatus.Failed,
        EventType.ChainedInvokeTimedOut or EventType.CallbackTimedOut => OperationStatus.TimedOut,
        EventType.ChainedInvokeStopped => OperationStatus.Stopped,
        EventType.WaitCancelled => OperationStatus.Cancelled,
        _ => null,
    };
}
