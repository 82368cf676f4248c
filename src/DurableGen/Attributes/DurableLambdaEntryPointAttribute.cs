using System;

namespace DurableGen;

/// <summary>
/// Assembly-level switch for the generated Lambda entry point. Without it, an executable project that has
/// <c>[DurableWorkflow]</c> classes and no <c>Main</c> of its own gets one. <c>[assembly: DurableLambdaEntryPoint]</c>
/// asks for it explicitly (a user <c>Main</c> is then an error, DG1007); <c>DurableLambdaEntryPoint(false)</c> turns
/// it off.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public sealed class DurableLambdaEntryPointAttribute : Attribute
{
    /// <summary>Asks for (or, with <c>false</c>, turns off) the generated entry point.</summary>
    public DurableLambdaEntryPointAttribute(bool generate = true) => Generate = generate;

    /// <summary>Whether the entry point is generated.</summary>
    public bool Generate { get; }
}
