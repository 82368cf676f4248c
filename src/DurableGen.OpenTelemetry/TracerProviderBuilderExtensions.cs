using System;
using OpenTelemetry.Trace;

namespace DurableGen.OpenTelemetry;

/// <summary>Registers DurableGen's spans with an OpenTelemetry tracer provider.</summary>
public static class TracerProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes the provider to DurableGen's activity source (<see cref="DurableTracing.SourceName"/>). Spans are
    /// produced by a <see cref="DurableTracingPlugin"/> in the workflow's <see cref="DurableExecutionOptions.Plugins"/>.
    /// </summary>
    public static TracerProviderBuilder AddDurableGenInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(DurableTracing.SourceName);
    }
}
