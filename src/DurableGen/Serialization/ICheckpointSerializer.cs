namespace DurableGen;

/// <summary>
/// A serializer for one operation's checkpointed value, overriding the registered <see cref="IDurableSerializer"/>.
/// When an operation has one, its first run returns <c>Deserialize(Serialize(value))</c>, so the first run and every
/// replay see the same value.
/// </summary>
/// <typeparam name="T">The checkpointed type.</typeparam>
public interface ICheckpointSerializer<T>
{
    /// <summary>Turns <paramref name="value"/> into the text the service stores.</summary>
    string? Serialize(T value, SerializationContext context);

    /// <summary>Turns stored text (<c>null</c> when nothing was stored) back into a value.</summary>
    T Deserialize(string? data, SerializationContext context);
}

/// <summary>Where a value is being serialized: the operation and the execution.</summary>
/// <param name="OperationId">The operation's id.</param>
/// <param name="DurableExecutionArn">The execution's ARN.</param>
public readonly record struct SerializationContext(string OperationId, string DurableExecutionArn);
