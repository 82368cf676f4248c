using System;
using System.Collections.Generic;

namespace DurableGen.Conformance.Handlers.Otel;

/// <summary>
/// The base of the OpenTelemetry scenario handlers (otel.md §5): one handler serves the invocation-view and the
/// execution-view requirement of a number, and the runner tells it the view through
/// <see cref="IConformanceEnv.TelemetryView"/>. The tracing plugin is registered here, per invocation, in that view.
/// </summary>
public abstract class OtelCase : IConformancePlugins
{
    /// <summary>
    /// The plugins of one invocation. Empty until the tracing plugin (DurableGen.OpenTelemetry) is on main: the
    /// scenarios' history and result checks already run, and their telemetry checks report that no span was captured.
    /// </summary>
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return [];
    }
}
