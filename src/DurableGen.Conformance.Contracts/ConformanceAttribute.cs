using System;
using System.Collections.Generic;

namespace DurableGen.Conformance;

/// <summary>
/// Marks a class as the handler of one or more conformance requirement ids (like the SAM template's
/// <c>TestingMetadata.TestDescription</c>). The class implements <see cref="IConformanceCase{TInput,TOutput}"/> and
/// has a public parameterless constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConformanceAttribute : Attribute
{
    /// <summary>Marks the handler of <paramref name="ids"/>.</summary>
    public ConformanceAttribute(params string[] ids) => Ids = ids;

    /// <summary>The requirement ids the class serves.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>
    /// The durable execution timeout the function is deployed with, in seconds (the SAM template's
    /// <c>DurableConfig.ExecutionTimeout</c>): 300 as the reference templates configure; a requirement that expects
    /// <c>TIMED_OUT</c> (otel-*-15: 15 s) sets its own.
    /// </summary>
    public int ExecutionTimeoutSeconds { get; set; } = 300;
}
