using System;
using System.Collections.Generic;
using System.Text;
using DurableGen.Protocol;

namespace DurableGen.Client;

/// <summary>
/// Formats a history (<see cref="Event"/>s, as <see cref="DurableExecutionClient"/> reads them or a test
/// run records them) for a person: <see cref="Format"/> as a timeline of offsets from the start with operations
/// nested under their context, <see cref="Describe"/> as the one detail of an event that matters (its result, error,
/// wait, callback or input), which tools put in their own columns.
/// </summary>
public static class HistoryTimeline
{
    /// <summary>One line per event, operations nested under their context, results and errors abbreviated.</summary>
    /// <param name="history">The events, oldest first.</param>
    public static string Format(IReadOnlyList<Event> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = history.Count > 0 ? history[0].EventTimestamp : default;
        var text = new StringBuilder();
        foreach (var e in history)
        {
            var level = e.ParentId is { } parent && depth.TryGetValue(parent, out var d) ? d + 1 : 0;
            if (e.Id is { } id)
            {
                depth.TryAdd(id, level);
            }

            text.Append('+').Append(FormatOffset(e.EventTimestamp - start)).Append("  ").Append(' ', level * 2)
                .Append(e.EventType);
            if (e.Name is not null && e.EventType is not (EventType.ExecutionStarted or EventType.ExecutionSucceeded
                    or EventType.ExecutionFailed or EventType.ExecutionTimedOut or EventType.ExecutionStopped))
            {
                text.Append(" '").Append(e.Name).Append('\'');
            }

            var detail = Describe(e);
            if (detail.Length > 0)
            {
                text.Append("  ").Append(detail);
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>
    /// The detail of one event, abbreviated: <c>→ result</c>, <c>✗ ErrorType: message</c> (with the retry delay of
    /// a failed attempt), a wait's seconds, a callback's id and timeouts, an execution's or invoke's input
    /// (<c>← input</c>); empty for an event with none of these.
    /// </summary>
    /// <param name="e">The event.</param>
    public static string Describe(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var result = e.StepSucceededDetails?.Result ?? e.ContextSucceededDetails?.Result ?? e.CallbackSucceededDetails?.Result
            ?? e.ChainedInvokeSucceededDetails?.Result ?? e.ExecutionSucceededDetails?.Result;
        if (result?.Payload is { } payload)
        {
            return "→ " + Shorten(payload);
        }

        var error = e.StepFailedDetails?.Error ?? e.ContextFailedDetails?.Error ?? e.CallbackFailedDetails?.Error
            ?? e.CallbackTimedOutDetails?.Error ?? e.ChainedInvokeFailedDetails?.Error ?? e.ExecutionFailedDetails?.Error
            ?? e.InvocationCompletedDetails?.Error;
        if (error?.Payload is { } failure)
        {
            var retry = e.StepFailedDetails?.RetryDetails?.NextAttemptDelaySeconds is { } delay ? $" (retry in {delay}s)" : "";
            return $"✗ {failure.ErrorType}: {Shorten(failure.ErrorMessage ?? "")}{retry}";
        }

        if (e.WaitStartedDetails?.Duration is { } seconds)
        {
            return $"{seconds}s";
        }

        if (e.CallbackStartedDetails is { } callback)
        {
            // The id first: it is what a person answering the callback copies.
            var parts = new List<string>(3);
            if (!string.IsNullOrEmpty(callback.CallbackId))
            {
                parts.Add("callback " + callback.CallbackId);
            }

            if (callback.Timeout is { } timeout)
            {
                parts.Add($"timeout {timeout}s");
            }

            if (callback.HeartbeatTimeout is { } heartbeat)
            {
                parts.Add($"heartbeat {heartbeat}s");
            }

            return string.Join(", ", parts);
        }

        var input = e.ExecutionStartedDetails?.Input ?? e.ChainedInvokeStartedDetails?.Input;
        return input?.Payload is { } text ? "← " + Shorten(text) : "";
    }

    private static string FormatOffset(TimeSpan offset) =>
        offset.TotalDays >= 1 ? $"{(int)offset.TotalDays}d{offset:hh\\:mm\\:ss}" : offset.ToString(@"hh\:mm\:ss");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
