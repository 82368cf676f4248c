using System.Text.Json;

namespace DurableGen.Cli.Formatting;

/// <summary>The JSON scripts read from <c>--json</c> (indented, as it always was).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
