using System.Text.Json.Serialization;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>Source-generated JSON for the aggregates <see cref="SqliteExecutionStore"/> persists (timestamps as
/// ISO-8601 with offset, which round-trips exactly; enums with the wire converters): the record without its
/// operations and events, and each operation on its own row. History events are not part of it: the store keeps them
/// in their REST wire shape.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExecutionRecord))]
[JsonSerializable(typeof(Operation))]
internal sealed partial class SqliteStoreJsonContext : JsonSerializerContext
{
}
