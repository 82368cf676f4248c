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
}
