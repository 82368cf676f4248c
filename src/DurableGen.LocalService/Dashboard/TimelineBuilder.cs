using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Dashboard;

/// <summary>Lays out an execution's timeline from the engine's records: operation records give each bar's span,
/// status, payloads and nesting; history events give a step's attempts and retry delays; <c>InvocationCompleted</c>
/// events (and the invocation in flight) give the invocation bands, which also decide where the axis may break.</summary>
internal static class TimelineBuilder
{
    public static TimelineView Build(DurableExecutionEngine engine, string durableExecutionArn)
    {
        var execution = engine.GetExecution(durableExecutionArn);
        var snapshot = engine.GetSnapshot(durableExecutionArn);
        var start = execution.StartTimestamp;
        var end = execution.EndTimestamp ?? snapshot.Now;
        if (snapshot.Events.Count > 0 && snapshot.Events[^1].EventTimestamp > end)
        {
            end = snapshot.Events[^1].EventTimestamp;
        }

        var invocations = Invocations(snapshot, end);
        var axis = new TimeAxis(start, end, invocations.Select(i => (i.Start, i.End)));
        var eventsById = snapshot.Events.Where(e => e.Id is not null).GroupBy(e => e.Id!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var operations = new List<TimelineOperation>(snapshot.Operations.Count);
        foreach (var (operation, depth) in DepthFirst(snapshot.Operations))
        {
            var events = eventsById.TryGetValue(operation.Id, out var list) ? list : [];
            var opStart = operation.StartTimestamp ?? (events.Count > 0 ? events[0].EventTimestamp : start);
            var opEnd = operation.EndTimestamp ?? end;
            var x = axis.X(opStart);
            operations.Add(new TimelineOperation
            {
                Id = operation.Id,
                ParentId = operation.ParentId,
                Depth = depth,
                Name = operation.Name,
                Type = operation.Type,
                SubType = operation.SubType,
                Status = operation.Status,
                StartMs = Offset(start, opStart),
                EndMs = operation.EndTimestamp is { } closed ? Offset(start, closed) : null,
                X = x,
                Width = Math.Max(0, axis.EndX(opEnd) - x),
                Attempts = operation.Type == OperationType.Step ? Attempts(events, opStart, opEnd, axis) : [],
                Input = operation.ExecutionDetails?.InputPayload
                        ?? events.FirstOrDefault(e => e.ChainedInvokeStartedDetails is not null)?.ChainedInvokeStartedDetails!.Input?.Payload,
                Result = operation.StepDetails?.Result ?? operation.ContextDetails?.Result ?? operation.CallbackDetails?.Result
                         ?? operation.ChainedInvokeDetails?.Result
                         ?? (operation.Type == OperationType.Execution ? execution.Result : null),
                Error = operation.StepDetails?.Error ?? operation.ContextDetails?.Error ?? operation.CallbackDetails?.Error
                        ?? operation.ChainedInvokeDetails?.Error
                        ?? (operation.Type == OperationType.Execution ? execution.Error : null),
                CallbackId = operation.CallbackDetails?.CallbackId,
                ScheduledEnd = operation.WaitDetails?.ScheduledEndTimestamp ?? operation.StepDetails?.NextAttemptTimestamp,
                EventIds = events.Select(e => e.EventId).ToList(),
            });
        }

        return new TimelineView
        {
            DurableExecutionArn = execution.DurableExecutionArn,
            DurableExecutionName = execution.DurableExecutionName,
            FunctionName = FunctionName(execution.FunctionArn),
            Status = execution.Status,
            StartTimestamp = start,
            EndTimestamp = execution.EndTimestamp,
            DurationMs = Offset(start, end),
            Now = snapshot.Now,
            Breaks = axis.Breaks,
            Invocations = invocations.Select(i =>
            {
                var x = axis.X(i.Start);
                return new TimelineInvocation
                {
                    Number = i.Number,
                    RequestId = i.RequestId,
                    StartMs = Offset(start, i.Start),
                    EndMs = i.Running ? null : Offset(start, i.End),
                    X = x,
                    Width = Math.Max(0, axis.EndX(i.End) - x),
                    ErrorType = i.ErrorType,
                };
            }).ToList(),
            Operations = operations,
            Events = snapshot.Events,
        };
    }

    /// <summary>The function name of <c>arn:aws:lambda:region:account:function:NAME[:qualifier]</c>.</summary>
    public static string FunctionName(string functionArn)
    {
        var parts = functionArn.Split(':');
        return parts.Length >= 7 ? parts[6] : functionArn;
    }

    private static long Offset(DateTimeOffset start, DateTimeOffset time) => (long)Math.Round((time - start).TotalMilliseconds);

    private static List<Band> Invocations(ExecutionSnapshot snapshot, DateTimeOffset end)
    {
        var bands = new List<Band>();
        foreach (var e in snapshot.Events)
        {
            if (e.InvocationCompletedDetails is { } details)
            {
                bands.Add(new Band(bands.Count + 1, details.RequestId, details.StartTimestamp ?? e.EventTimestamp,
                    details.EndTimestamp ?? e.EventTimestamp, details.Error?.Payload?.ErrorType, false));
            }
        }

        if (snapshot.ActiveInvocation is { } active)
        {
            bands.Add(new Band(active.Number, active.RequestId, active.StartTimestamp, end, null, true));
        }

        return bands;
    }

    /// <summary>The execution first, then each operation followed by its children (oldest first), so a row's parent is
    /// always above it. An operation whose parent is unknown is shown at the top level rather than dropped.</summary>
    private static IEnumerable<(Operation Operation, int Depth)> DepthFirst(IReadOnlyList<Operation> operations)
    {
        var ids = operations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var children = operations
            .Where(o => o.ParentId is not null && ids.Contains(o.ParentId))
            .GroupBy(o => o.ParentId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var roots = operations.Where(o => o.ParentId is null || !ids.Contains(o.ParentId)).ToList();
        var hasExecution = roots.Any(o => o.Type == OperationType.Execution);
        var stack = new Stack<(Operation, int)>();
        foreach (var root in Ordered(roots).Reverse())
        {
            stack.Push((root, root.Type == OperationType.Execution || !hasExecution ? 0 : 1));
        }

        while (stack.Count > 0)
        {
            var (operation, depth) = stack.Pop();
            yield return (operation, depth);
            if (children.TryGetValue(operation.Id, out var list))
            {
                foreach (var child in Ordered(list).Reverse())
                {
                    stack.Push((child, depth + 1));
                }
            }
        }
    }

    /// <summary>The execution first, then by start time; records without one keep their creation order.</summary>
    private static IEnumerable<Operation> Ordered(List<Operation> operations) =>
        operations.Select((o, i) => (o, i))
            .OrderBy(p => p.o.Type == OperationType.Execution ? 0 : 1)
            .ThenBy(p => p.o.StartTimestamp ?? DateTimeOffset.MaxValue)
            .ThenBy(p => p.i)
            .Select(p => p.o);

    /// <summary>A step's attempts from its events: <c>StepStarted</c> opens one; <c>StepFailed</c>/<c>StepSucceeded</c>
    /// closes it, and when it carries a next-attempt delay the step waits that long before the next attempt (which
    /// begins at its own <c>StepStarted</c>, or when the delay ends if the step does not checkpoint its starts).</summary>
    private static List<TimelineAttempt> Attempts(List<Event> events, DateTimeOffset opStart, DateTimeOffset opEnd, TimeAxis axis)
    {
        var attempts = new List<TimelineAttempt>();
        DateTimeOffset? open = null;
        var nextStart = opStart;
        foreach (var e in events)
        {
            if (e.EventType == EventType.StepStarted)
            {
                open = e.EventTimestamp;
                continue;
            }

            if (e.EventType is not (EventType.StepFailed or EventType.StepSucceeded))
            {
                continue;
            }

            var failed = e.EventType == EventType.StepFailed;
            var retry = failed ? e.StepFailedDetails?.RetryDetails : e.StepSucceededDetails?.RetryDetails;
            var delay = retry?.NextAttemptDelaySeconds;
            var attemptStart = open ?? nextStart;
            var attemptEnd = e.EventTimestamp;
            var error = failed ? e.StepFailedDetails?.Error?.Payload : null;
            var x = axis.X(attemptStart);
            var delayEnd = delay is { } seconds ? Min(attemptEnd.AddSeconds(seconds), opEnd) : attemptEnd;
            var delayX = axis.X(attemptEnd);
            attempts.Add(new TimelineAttempt
            {
                Attempt = retry?.CurrentAttempt ?? attempts.Count + 1,
                X = x,
                Width = Math.Max(0, delayX - x),
                Outcome = (failed, delay is not null) switch
                {
                    (true, true) => "RETRY",
                    (true, false) => "FAILED",
                    (false, true) => "POLL",
                    _ => "SUCCEEDED",
                },
                Error = error is null ? null : $"{error.ErrorType}: {error.ErrorMessage}",
                DelaySeconds = delay,
                DelayX = delayX,
                DelayWidth = Math.Max(0, axis.EndX(delayEnd) - delayX),
            });
            open = null;
            nextStart = delayEnd;
        }

        if (open is { } running)
        {
            var x = axis.X(running);
            attempts.Add(new TimelineAttempt
            {
                Attempt = attempts.Count + 1,
                X = x,
                Width = Math.Max(0, axis.EndX(opEnd) - x),
                Outcome = "RUNNING",
                DelayX = axis.X(opEnd),
            });
        }

        return attempts;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record Band(int Number, string? RequestId, DateTimeOffset Start, DateTimeOffset End, string? ErrorType, bool Running);
}
