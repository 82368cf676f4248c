namespace DurableGen.Conformance.Telemetry;

/// <summary>The two span layouts of otel.md §1: which one a requirement is judged in.</summary>
public enum TelemetryView
{
    /// <summary>Operations under the invocation (suite <c>otel-invocation</c>; a long-running file's <c>TelemetryAssertions</c>).</summary>
    Invocation,

    /// <summary>Operations under the workflow (suite <c>otel-execution</c>; a long-running file's <c>ExecutionTelemetryAssertions</c>).</summary>
    Execution,
}
