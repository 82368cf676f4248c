using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Validation;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// What a long-running file adds to an ordinary run (otel.md §4.7): the delay overrides <c>LONG_DELAY_SECONDS</c>
/// (bound as the string <c>str(value)</c>, so the handler's <c>delay_seconds</c> arrives as JSON text), and an
/// execution whose terminal event comes before its start plus the delay is a premature failure.
/// </summary>
public static class LongRunningRules
{
    /// <summary>The variable the delay overrides.</summary>
    public const string DelayVariable = "LONG_DELAY_SECONDS";

    private static readonly string[] TerminalEvents =
        ["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionStopped", "ExecutionCancelled"];

    /// <summary>The callback the long-running runner completes when the file declares no <c>CallbackActions</c>
    /// (otel-long-running-3): success with the payload <c>callback-complete</c>, for the first callback started.</summary>
    public static readonly CallbackActionSpec CallbackAction =
        new("*", "success", JsonValue.Create("callback-complete"), HasPayload: true, Delay: 0);

    /// <summary>Binds the delay after the file's <c>Variables</c> were evaluated.</summary>
    public static void BindDelay(PlaceholderContext context, int delaySeconds) =>
        context.Bind(DelayVariable, JsonValue.Create(delaySeconds.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The premature-completion error, or null: the terminal event must not come before the execution's start
    /// (its <c>ExecutionStarted</c> event) plus <paramref name="delaySeconds"/>. A history without both events is not
    /// judged here (the history check reports it).</summary>
    public static string? PrematureError(JsonArray events, int delaySeconds)
    {
        var started = events.OfType<JsonObject>().FirstOrDefault(e => Py.AsString(e["EventType"]) == "ExecutionStarted");
        var terminal = events.OfType<JsonObject>().FirstOrDefault(e => TerminalEvents.Contains(Py.AsString(e["EventType"])));
        if (started is null || terminal is null
            || Timestamp(started["EventTimestamp"]) is not { } start || Timestamp(terminal["EventTimestamp"]) is not { } end)
        {
            return null;
        }

        var earliest = start.AddSeconds(delaySeconds);
        return end < earliest
            ? $"Premature completion: {Py.AsString(terminal["EventType"])} at {end:O} is before the execution start {start:O} plus the {delaySeconds} s delay"
            : null;
    }

    /// <summary>An event timestamp as ISO text or epoch seconds / milliseconds.</summary>
    public static DateTimeOffset? Timestamp(JsonNode? node)
    {
        if (Py.AsString(node) is { } text)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        }

        if (Py.IsNumber(node) && double.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number > 1e12
                ? DateTimeOffset.UnixEpoch.AddMilliseconds(number)
                : DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(number * TimeSpan.TicksPerSecond));
        }

        return null;
    }
}
