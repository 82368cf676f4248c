using System;

namespace DurableGen;

/// <summary>
/// Declares a typed callback contract on a partial class. The DurableGen generator writes both sides of it: for the
/// workflow, <c>WaitAsync</c> (creates the callback with this name and these timeouts, runs the caller's hand-off code
/// inside the submitter step, and returns the typed result) and <c>CreateAsync</c>; for the external system,
/// <c>Complete(client, callbackId)</c> with <c>SucceedAsync(T)</c>, <c>FailAsync</c> and <c>HeartbeatAsync</c>,
/// serialized with the same <c>JsonSerializerContext</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CallbackAttribute : Attribute
{
    /// <summary>The largest callback timeout accepted, in seconds (366 days).</summary>
    public const int MaxTimeout = 31_622_400;

    /// <summary>Declares a callback named <paramref name="name"/> whose result is a <paramref name="resultType"/>.</summary>
    public CallbackAttribute(string name, Type resultType)
    {
        Name = name;
        ResultType = resultType;
    }

    /// <summary>The callback's operation name.</summary>
    public string Name { get; }

    /// <summary>The type the external system completes the callback with.</summary>
    public Type ResultType { get; }

    /// <summary>How long the external system has to answer, in seconds; 0 means no timeout.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>How long the callback may go without a heartbeat, in seconds; 0 means no heartbeat timeout.</summary>
    public int HeartbeatTimeoutSeconds { get; set; }

    /// <summary>The context that serializes the result. Default: the assembly's context (as for workflows).</summary>
    public Type? JsonContext { get; set; }
}
