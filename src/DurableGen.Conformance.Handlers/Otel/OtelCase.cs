using System;
using System.Collections.Generic;
using DurableGen.OpenTelemetry;

namespace DurableGen.Conformance.Handlers.Otel;

/// <summary>
/// The base of the OpenTelemetry scenario handlers (otel.md §5): one handler serves the invocation-view and the
/// execution-view requirement of a number, and the runner tells it the view through
/// <see cref="IConformanceEnv.TelemetryView"/>. The tracing plugin is registered here, per invocation, in that view.
/// </summary>
public abstract class OtelCase : IConformancePlugins
{
    /// <summary>
    /// The plugins of one invocation: DurableGen's tracing plugin in the view the requirement file is judged in (a
    /// file without a view is an invocation-view file, otel.md §3).
    /// </summary>
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var view = string.Equals(env.TelemetryView, "execution", StringComparison.OrdinalIgnoreCase)
            ? DurableTracingView.Execution
            : DurableTracingView.Invocation;
        return [new DurableTracingPlugin(new DurableTracingOptions { View = view })];
    }
}
