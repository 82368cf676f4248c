using System;
using System.Collections.Generic;
using System.Text;
using DurableGen.Protocol;

namespace DurableGen.Testing;

/// <summary>Formats a history as a timeline a person can read: offset from the start, nesting, outcome.</summary>
public static class HistoryTimeline
{
    /// <summary>One line per event, operations nested under their context, results and errors abbreviated.</summary>
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

            var detail = Detail(e);
            if (detail.Length > 0)
            {
                text.Append("  ").Append(detail);
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string FormatOffset(TimeSpan offset) =>
        offset.TotalDays >= 1 ? $"{(int)offset.TotalDays}d{offset:hh\\:mm\\:ss}" : offset.ToString(@"hh\:mm\:ss");

    private static string Detail(Event e)
    {
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

        return e.CallbackStartedDetails is { } callback
            ? string.Join(", ", Describe("timeout", callback.Timeout), Describe("heartbeat", callback.HeartbeatTimeout)).Trim(' ', ',')
            : "";
    }

    private static string Describe(string what, int? seconds) => seconds is { } s ? $"{what} {s}s" : "";

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
