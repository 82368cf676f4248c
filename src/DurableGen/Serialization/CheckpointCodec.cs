using System;

namespace DurableGen;

/// <summary>
/// How one operation turns its value into checkpoint text and back: its own <see cref="ICheckpointSerializer{T}"/>
/// when configured, else the registered serializer.
/// </summary>
internal readonly struct CheckpointCodec<T>(IDurableSerializer registered, ICheckpointSerializer<T>? custom,
    SerializationContext context)
{
    public bool IsCustom => custom is not null;

    public string? Serialize(T value) => custom is null ? registered.Serialize(value) : custom.Serialize(value, context);

    public T Deserialize(string? text) => custom is null ? registered.Deserialize<T>(text)! : custom.Deserialize(text, context);

    /// <summary>
    /// The value a first run returns: the live object with the registered serializer (as the official SDK does), the
    /// round trip through a custom serializer (so the first run sees what every replay will see).
    /// </summary>
    public T FirstRun(T value, string? text) => custom is null ? value : custom.Deserialize(text, context);

    /// <summary>
    /// The text to checkpoint for <paramref name="value"/> and the value a first run returns. A serializer that fails
    /// here fails for this type every time: <see cref="DurableSerializationException"/>, which callers never retry.
    /// </summary>
    /// <param name="value">The value to checkpoint.</param>
    /// <param name="what">What the value is, for the message: "the result of step 'charge'".</param>
    public (string? Text, T Value) Checkpoint(T value, string what)
    {
        var text = Serialize(value, what);
        return (text, FirstRun(value, text, what));
    }

    /// <summary><see cref="Serialize(T)"/>, a failure being <see cref="DurableSerializationException"/> (see <see cref="Checkpoint"/>).</summary>
    public string? Serialize(T value, string what)
    {
        try
        {
            return Serialize(value);
        }
        catch (Exception ex)
        {
            throw DurableSerializationException.ForValue(what, typeof(T), IsCustom, ex);
        }
    }

    /// <summary><see cref="FirstRun(T, string)"/>, a failure being <see cref="DurableSerializationException"/>.</summary>
    public T FirstRun(T value, string? text, string what)
    {
        try
        {
            return FirstRun(value, text);
        }
        catch (Exception ex)
        {
            throw DurableSerializationException.ForValue(what, typeof(T), IsCustom, ex);
        }
    }
}
