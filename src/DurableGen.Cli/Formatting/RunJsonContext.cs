using System.Collections.Generic;
using System.Text.Json;

namespace DurableGen.Cli.Formatting;

/// <summary>The shapes of <c>run --json</c>, <c>history --json</c> and <c>invoke --json</c>.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string?>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement[]))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class RunJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
