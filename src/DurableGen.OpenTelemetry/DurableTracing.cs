using System.Diagnostics;

namespace DurableGen.OpenTelemetry;

/// <summary>
/// The <see cref="ActivitySource"/> DurableGen's spans come from. Subscribe to <see cref="SourceName"/>
/// (<c>tracing.AddSource(DurableTracing.SourceName)</c>, or <c>AddDurableGenInstrumentation()</c>) and register a
/// <see cref="DurableTracingPlugin"/> with the workflow's <see cref="DurableExecutionOptions.Plugins"/>.
/// </summary>
public static class DurableTracing
{
    /// <summary>The name of the activity source (and OpenTelemetry tracer): <c>DurableGen</c>.</summary>
    public const string SourceName = "DurableGen";

    internal static readonly ActivitySource Source = new(SourceName);
}
