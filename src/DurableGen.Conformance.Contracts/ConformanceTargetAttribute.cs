using System;

namespace DurableGen.Conformance;

/// <summary>
/// Marks a class as a target function (<c>echo</c>, <c>error</c>, <c>echo-tenant</c> …) that requirement handlers
/// invoke by name through <see cref="IConformanceEnv.Target"/>. It implements
/// <see cref="IConformanceCase{TInput,TOutput}"/> like a requirement handler.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConformanceTargetAttribute : Attribute
{
    /// <summary>Marks the target named <paramref name="name"/>.</summary>
    public ConformanceTargetAttribute(string name) => Name = name;

    /// <summary>The target's logical name.</summary>
    public string Name { get; }
}
