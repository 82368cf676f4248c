using System;

namespace DurableGen;

/// <summary>
/// A value about to be checkpointed — a step's or child context's result, a wait-for-condition state, the workflow's
/// result — could not be serialized. That is a programming error (usually a type missing from the
/// <c>JsonSerializerContext</c>), not a transient failure: the operation fails at once whatever its retry strategy, so
/// a step body that succeeded is never run again for it. The workflow sees the operation's usual failure
/// (<see cref="StepException"/>, <see cref="ChildContextException"/>) with this type's full name as its
/// <c>ErrorType</c>; uncaught, the execution fails with it. An invoke payload that cannot be serialized is refused with
/// this exception itself, before anything is checkpointed.
/// </summary>
public class DurableSerializationException : DurableExecutionException
{
    /// <summary>Creates the exception.</summary>
    public DurableSerializationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DurableSerializationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the serializer's exception.</summary>
    public DurableSerializationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The type that could not be serialized, as C# writes it (e.g. <c>Shop.Receipt</c>).</summary>
    public string? ValueType { get; init; }

    /// <summary>
    /// The failure of serializing <paramref name="what"/> (e.g. <c>the result of step 'charge'</c>) as
    /// <paramref name="type"/>, saying how to fix it.
    /// </summary>
    internal static DurableSerializationException ForValue(string what, Type type, bool customSerializer, Exception inner)
    {
        var name = TypeNames.Display(type);
        var fix = customSerializer
            ? " Fix the operation's ICheckpointSerializer so it handles this value."
            : inner.Message.Contains("[JsonSerializable(", StringComparison.Ordinal)
                ? "" // JsonDurableSerializer already said which attribute to add
                : $" Add [JsonSerializable(typeof({name}))] to the workflow's JsonSerializerContext (or register a serializer that handles {name}).";
        return new DurableSerializationException(
            $"{char.ToUpperInvariant(what[0])}{what[1..]} could not be serialized as {name}: {inner.Message}{fix} " +
            "This is a programming error, so it is not retried.", inner)
        {
            ValueType = name,
        };
    }
}
