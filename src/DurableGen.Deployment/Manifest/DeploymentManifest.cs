using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace DurableGen.Deployment;

/// <summary>
/// The functions of one DurableGen assembly as its generator described them (the assembly metadata
/// <see cref="MetadataKey"/>): settings with defaults applied, the functions each invokes and the workflows whose
/// callbacks each completes.
/// </summary>
public sealed class DeploymentManifest
{
    /// <summary>The <c>AssemblyMetadata</c> key the generator stores the manifest under.</summary>
    public const string MetadataKey = "DurableGen.Deployment";

    /// <summary>The schema this reader understands.</summary>
    public const int SupportedSchema = 1;

    /// <summary>Creates a manifest.</summary>
    public DeploymentManifest(string assemblyName, IReadOnlyList<ManifestFunction> functions, bool analyzed = true, string? json = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyName);
        ArgumentNullException.ThrowIfNull(functions);
        AssemblyName = assemblyName;
        Functions = functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        Analyzed = analyzed;
        Json = json;
    }

    /// <summary>The generator's JSON this manifest was read from (null for one built in code); two builds that declare
    /// the same functions wrote the same text.</summary>
    public string? Json { get; }

    /// <summary>
    /// Whether the build followed each function's code (<c>DurableGenDeploymentAnalysis</c>): then <c>Invokes</c> and
    /// <c>CompletesCallbacksOf</c> hold what the code does; otherwise only what the attributes declare.
    /// </summary>
    public bool Analyzed { get; }

    /// <summary>The assembly's name (<c>bootstrap</c> for a Lambda custom runtime).</summary>
    public string AssemblyName { get; }

    /// <summary>The functions, in name order.</summary>
    public IReadOnlyList<ManifestFunction> Functions { get; }

    /// <summary>The architectures the functions run on, x86_64 first.</summary>
    public IReadOnlyList<string> Architectures =>
        Functions.Select(f => f.Architecture).Distinct().OrderBy(a => a == "x86_64" ? 0 : 1).ToList();

    /// <summary>The function named <paramref name="name"/>, or null.</summary>
    public ManifestFunction? Find(string name) => Functions.FirstOrDefault(f => f.Name == name);

    /// <summary>Parses the generator's JSON.</summary>
    /// <exception cref="FormatException">The text is not a manifest of a schema this version understands.</exception>
    public static DeploymentManifest Parse(string assemblyName, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var schema = root.GetProperty("schema").GetInt32();
            if (schema != SupportedSchema)
            {
                throw new FormatException(
                    $"The deployment manifest of {assemblyName} has schema {schema}; this tool reads schema {SupportedSchema}. Use the durablegen tool of the same version as the DurableGen package.");
            }

            var functions = new List<ManifestFunction>();
            foreach (var item in root.GetProperty("functions").EnumerateArray())
            {
                functions.Add(new ManifestFunction
                {
                    Name = item.GetProperty("name").GetString()!,
                    IsDurable = item.GetProperty("kind").GetString() == "durable",
                    TypeName = item.GetProperty("type").GetString()!,
                    Description = item.TryGetProperty("description", out var d) ? d.GetString() : null,
                    Architecture = item.GetProperty("architecture").GetString()!,
                    MemorySize = item.GetProperty("memorySize").GetInt32(),
                    FunctionTimeout = item.GetProperty("functionTimeout").GetInt32(),
                    ReservedConcurrency = item.TryGetProperty("reservedConcurrency", out var r) ? r.GetInt32() : null,
                    ExecutionTimeout = item.TryGetProperty("executionTimeout", out var e) ? e.GetInt32() : null,
                    RetentionPeriodInDays = item.TryGetProperty("retentionPeriodInDays", out var k) ? k.GetInt32() : null,
                    Environment = item.GetProperty("environment").EnumerateObject()
                        .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
                    Invokes = item.GetProperty("invokes").EnumerateArray().Select(v => v.GetString()!).ToList(),
                    CompletesCallbacksOf = item.GetProperty("completesCallbacksOf").EnumerateArray().Select(v => v.GetString()!).ToList(),
                });
            }

            return new DeploymentManifest(assemblyName, functions, root.GetProperty("analyzed").GetBoolean(), json);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"The deployment manifest of {assemblyName} is malformed: {ex.Message}", ex);
        }
    }
}

/// <summary>One function of a <see cref="DeploymentManifest"/>.</summary>
public sealed class ManifestFunction
{
    /// <summary>The Lambda function name (also its <c>_HANDLER</c> value).</summary>
    public required string Name { get; init; }

    /// <summary>Whether it is a durable workflow (<c>[DurableWorkflow]</c>) or a plain function (<c>[LambdaFunction]</c>).</summary>
    public required bool IsDurable { get; init; }

    /// <summary>The full name of its class.</summary>
    public required string TypeName { get; init; }

    /// <summary>Its description, if it has one.</summary>
    public string? Description { get; init; }

    /// <summary><c>x86_64</c> or <c>arm64</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Memory in MB.</summary>
    public required int MemorySize { get; init; }

    /// <summary>The function timeout in seconds (one invocation).</summary>
    public required int FunctionTimeout { get; init; }

    /// <summary>Reserved concurrent executions, if reserved.</summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>The durable execution timeout in seconds (durable functions only).</summary>
    public int? ExecutionTimeout { get; init; }

    /// <summary>Days the service keeps a closed execution's history (durable functions, when set).</summary>
    public int? RetentionPeriodInDays { get; init; }

    /// <summary>Environment variables, by name.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Functions it invokes: names (of this manifest or not) and ARNs.</summary>
    public IReadOnlyList<string> Invokes { get; init; } = Array.Empty<string>();

    /// <summary>Workflows whose callbacks it completes: names (of this manifest or not) and ARNs.</summary>
    public IReadOnlyList<string> CompletesCallbacksOf { get; init; } = Array.Empty<string>();
}
