using System;

namespace DurableGen.Conformance.Telemetry;

/// <summary>The names the capture side agrees on with the OpenTelemetry plugin (DurableGen.OpenTelemetry).</summary>
public static class TelemetrySources
{
    /// <summary>Every <c>ActivitySource</c> of the plugin is named with this prefix (<c>DurableGen</c>,
    /// <c>DurableGen.OpenTelemetry</c>, …); the capture listens to all of them.</summary>
    public const string DurableGenPrefix = "DurableGen";

    /// <summary>The resource <c>service.name</c> the conformance runner uses (<c>${SERVICE_NAME}</c>), as AWS's runner.</summary>
    public const string DefaultServiceName = "durable-execution-conformance";

    /// <summary>True for a source the capture records by default: a DurableGen source.</summary>
    public static bool IsDurableGen(string sourceName) =>
        sourceName.Equals(DurableGenPrefix, StringComparison.Ordinal)
        || sourceName.StartsWith(DurableGenPrefix + ".", StringComparison.Ordinal);
}
