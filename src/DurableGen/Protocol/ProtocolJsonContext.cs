using System.Text.Json.Serialization;

namespace DurableGen.Protocol;

/// <summary>Source-generated metadata for every wire type. Use it through <see cref="ProtocolJson"/>, which sets the
/// timestamp encoding each channel needs.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DurableExecutionInvocationInput))]
[JsonSerializable(typeof(DurableExecutionInvocationOutput))]
[JsonSerializable(typeof(CheckpointDurableExecutionRequest))]
[JsonSerializable(typeof(CheckpointDurableExecutionResponse))]
[JsonSerializable(typeof(GetDurableExecutionStateResponse))]
[JsonSerializable(typeof(GetDurableExecutionResponse))]
[JsonSerializable(typeof(GetDurableExecutionHistoryResponse))]
[JsonSerializable(typeof(ListDurableExecutionsByFunctionResponse))]
[JsonSerializable(typeof(StopDurableExecutionResponse))]
[JsonSerializable(typeof(ErrorObject))]
[JsonSerializable(typeof(Operation))]
[JsonSerializable(typeof(Event))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext
{
}
