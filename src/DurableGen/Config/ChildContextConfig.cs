using System;

namespace DurableGen;

/// <summary>How a child context is recorded.</summary>
public class ChildContextConfig
{
    /// <summary>The sub-kind written on the wire; <c>null</c> sends <c>RunInChildContext</c>.</summary>
    public string? SubType { get; set; }

    /// <summary>Maps the <see cref="ChildContextException"/> the child raises to the exception the caller sees.</summary>
    public Func<Exception, Exception>? ErrorMapping { get; set; }

    /// <summary><see cref="NestingType.Nested"/> (a CONTEXT record) or <see cref="NestingType.Flat"/> (no record of its own).</summary>
    public NestingType NestingType { get; set; } = NestingType.Nested;
}

/// <summary>A child context configuration with a serializer for the child's result.</summary>
/// <typeparam name="T">The child's result type.</typeparam>
public class ChildContextConfig<T> : ChildContextConfig, ITypedConfig
{
    Type[] ITypedConfig.ValueTypes => [typeof(T)];

    /// <summary>Serializes the child's result instead of the registered serializer.</summary>
    public ICheckpointSerializer<T>? Serializer { get; set; }
}

/// <summary>Whether a child context has a record of its own.</summary>
public enum NestingType
{
    /// <summary>A CONTEXT record groups the children and checkpoints the result.</summary>
    Nested,

    /// <summary>No CONTEXT record: the children report the enclosing context as their parent.</summary>
    Flat,
}
