namespace DurableGen.OpenTelemetry;

/// <summary>How a durable execution is laid out as spans (both views put the whole execution in one trace).</summary>
public enum DurableTracingView
{
    /// <summary>
    /// Operations under the invocation that ran them: each invocation's span holds the operation spans it ran (an
    /// operation spanning invocations appears once per invocation), and every span links to the execution's
    /// <c>Workflow</c> span. What a Lambda-centric trace viewer shows naturally.
    /// </summary>
    Invocation,

    /// <summary>
    /// Operations under the workflow: one span per operation for its whole durable lifetime (exported when it ends),
    /// nested under the <c>Workflow</c> span, each linked to the invocation it ended in; attempts link to the
    /// invocation they ran in. The execution reads as one call tree.
    /// </summary>
    Execution,
}
