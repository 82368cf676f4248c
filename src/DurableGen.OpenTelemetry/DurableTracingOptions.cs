namespace DurableGen.OpenTelemetry;

/// <summary>Settings of a <see cref="DurableTracingPlugin"/>.</summary>
public sealed class DurableTracingOptions
{
    /// <summary>The span layout (default <see cref="DurableTracingView.Execution"/>).</summary>
    public DurableTracingView View { get; init; } = DurableTracingView.Execution;

    /// <summary>The name of the execution's root span (default <c>Workflow</c>).</summary>
    public string WorkflowSpanName { get; init; } = "Workflow";
}
