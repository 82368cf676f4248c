namespace DurableGen;

/// <summary>
/// Turns checkpointed values into the text the service stores and back. Everything a workflow checkpoints goes through
/// it: input, result, step results, callback results.
/// </summary>
public interface IDurableSerializer
{
    /// <summary>Serializes <paramref name="value"/> to text.</summary>
    string Serialize<T>(T value);

    /// <summary>Deserializes <paramref name="text"/>; <c>null</c> text gives <c>default</c>.</summary>
    T? Deserialize<T>(string? text);
}
