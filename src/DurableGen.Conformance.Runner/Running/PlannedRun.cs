using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Telemetry;

namespace DurableGen.Conformance.Running;

/// <summary>One run of a plan: a requirement, and the OpenTelemetry case when it belongs to an otel suite.</summary>
/// <param name="Requirement">The requirement file.</param>
/// <param name="Telemetry">The view and delay it is judged in, or null for a core requirement.</param>
public sealed record PlannedRun(Requirement Requirement, TelemetryCase? Telemetry)
{
    /// <summary>The run's name in reports (<see cref="TelemetryCase.Name"/> or the requirement id).</summary>
    public string Name => Telemetry?.Name ?? Requirement.Id;

    /// <summary>Unique within a run.</summary>
    public string Key => Requirement.Suite + "/" + Name;
}
