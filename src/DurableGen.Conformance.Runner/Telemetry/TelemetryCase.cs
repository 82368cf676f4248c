using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Requirements;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// One judged run of an OpenTelemetry requirement: the file, the view its spans are judged in, and for a long-running
/// file the delay (otel.md §4.7: each long-running file runs in both views with <c>delay</c> 1 and 86400 on virtual time).
/// </summary>
/// <param name="Requirement">The requirement file.</param>
/// <param name="View">The view the plugin runs in and the assertions judge.</param>
/// <param name="DelaySeconds">The long-running delay bound to <c>LONG_DELAY_SECONDS</c>, or null for an ordinary case.</param>
public sealed record TelemetryCase(Requirement Requirement, TelemetryView View, int? DelaySeconds)
{
    /// <summary>The suite of invocation-view cases.</summary>
    public const string InvocationSuite = "otel-invocation";

    /// <summary>The suite of execution-view cases.</summary>
    public const string ExecutionSuite = "otel-execution";

    /// <summary>The suite of long-running cases (both views in one file).</summary>
    public const string LongRunningSuite = "otel-long-running";

    /// <summary>The delays every long-running file runs with: virtual time makes a day as fast as a second.</summary>
    public static readonly IReadOnlyList<int> LongRunningDelays = [1, 86400];

    /// <summary>The handler's requirement number shared by both views (<c>otel-execution-3</c> → <c>3</c>,
    /// <c>otel-long-running-2</c> → <c>long-running-2</c>).</summary>
    public string Scenario => Requirement.Id.StartsWith("otel-", System.StringComparison.Ordinal)
        ? Requirement.Id[(Requirement.Suite == LongRunningSuite ? "otel-".Length : Requirement.Suite.Length + 1)..]
        : Requirement.Id;

    /// <summary>The name of this run in reports: <c>otel-execution-3</c>, <c>otel-long-running-2[execution,delay=86400]</c>.</summary>
    public string Name => DelaySeconds is { } delay
        ? $"{Requirement.Id}[{View.ToString().ToLowerInvariant()},delay={delay.ToString(CultureInfo.InvariantCulture)}]"
        : Requirement.Id;

    /// <summary>The view's assertions (null when the file has none for it).</summary>
    public JsonObject? Assertions => DelaySeconds is not null && View == TelemetryView.Execution
        ? Requirement.ExecutionTelemetryAssertions
        : Requirement.TelemetryAssertions;

    /// <summary>True for a suite of the OpenTelemetry package.</summary>
    public static bool IsTelemetrySuite(string suite) => suite is InvocationSuite or ExecutionSuite or LongRunningSuite;

    /// <summary>The runs of one requirement file: one for an invocation- or execution-view file, four for a long-running
    /// file (both views × both delays), none for a file of another suite.</summary>
    public static IReadOnlyList<TelemetryCase> For(Requirement requirement) => requirement.Suite switch
    {
        InvocationSuite => [new TelemetryCase(requirement, TelemetryView.Invocation, null)],
        ExecutionSuite => [new TelemetryCase(requirement, TelemetryView.Execution, null)],
        LongRunningSuite =>
        [
            new TelemetryCase(requirement, TelemetryView.Invocation, LongRunningDelays[0]),
            new TelemetryCase(requirement, TelemetryView.Invocation, LongRunningDelays[1]),
            new TelemetryCase(requirement, TelemetryView.Execution, LongRunningDelays[0]),
            new TelemetryCase(requirement, TelemetryView.Execution, LongRunningDelays[1]),
        ],
        _ => [],
    };
}
