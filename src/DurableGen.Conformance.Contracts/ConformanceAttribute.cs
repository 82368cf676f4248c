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
}
