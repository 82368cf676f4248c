using System;

namespace DurableGen.Conformance;

/// <summary>
/// Declares a requirement the handlers do not cover yet, with the reason (like
/// <c>TestingMetadata.NotImplemented</c>): the runner reports it <c>NOT_IMPLEMENTED</c> instead of <c>UNCOVERED</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ConformanceNotImplementedAttribute : Attribute
{
    /// <summary>Declares <paramref name="id"/> as a gap because of <paramref name="reason"/>.</summary>
    public ConformanceNotImplementedAttribute(string id, string reason)
    {
        Id = id;
        Reason = reason;
    }

    /// <summary>The requirement id.</summary>
    public string Id { get; }

    /// <summary>Why it is not implemented.</summary>
    public string Reason { get; }
}
