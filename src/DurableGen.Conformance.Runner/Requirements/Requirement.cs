using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Validation;

namespace DurableGen.Conformance.Requirements;

/// <summary>One callback action of a requirement (<c>CallbackActions</c> item).</summary>
public sealed record CallbackActionSpec(string CallbackName, string Operation, JsonNode? Payload, bool HasPayload, double Delay);

/// <summary>
/// One requirement file, read with the keys the Python runner reads: <c>Variables</c>, <c>Input</c>,
/// <c>AsyncInvoke</c>, <c>CallbackActions</c>, <c>AsyncConfig</c>, <c>ExpectedExecutionHistory</c>,
/// <c>ExpectedResult</c>, <c>ExpectedLogs</c>, <c>optional</c> and <c>description</c>, plus the OpenTelemetry package's
/// <c>TelemetryAssertions</c> and <c>ExecutionTelemetryAssertions</c>. Everything else is
/// documentation. A file that cannot be used has <see cref="LoadError"/> set and fails without being run.
/// </summary>
public sealed class Requirement
{
    /// <summary>The id: the file stem (<c>1-1</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The suite: the folder under the requirements root (<c>step</c>).</summary>
    public required string Suite { get; init; }

    /// <summary>The file the requirement was read from.</summary>
    public required string Path { get; init; }

    /// <summary><c>description</c>, for reports.</summary>
    public string? Description { get; init; }

    /// <summary><c>Variables</c> (a mapping) or null.</summary>
    public JsonObject? Variables { get; init; }

    /// <summary><c>Input</c>; null when absent or empty.</summary>
    public JsonNode? Input { get; init; }

    /// <summary><c>AsyncInvoke: true</c> switches to the polling path (the lower-case <c>async</c> flag is ignored).</summary>
    public bool AsyncInvoke { get; init; }

    /// <summary><c>CallbackActions</c>, validated.</summary>
    public IReadOnlyList<CallbackActionSpec> CallbackActions { get; init; } = Array.Empty<CallbackActionSpec>();

    /// <summary><c>AsyncConfig.PollIntervalSeconds</c> (default 2).</summary>
    public double PollIntervalSeconds { get; init; } = 2;

    /// <summary><c>AsyncConfig.NoProgressTimeoutSeconds</c> (default 30).</summary>
    public double NoProgressTimeoutSeconds { get; init; } = 30;

    /// <summary><c>ExpectedExecutionHistory</c> (empty when absent).</summary>
    public JsonArray ExpectedExecutionHistory { get; init; } = new();

    /// <summary><c>ExpectedResult</c> or null when absent.</summary>
    public JsonObject? ExpectedResult { get; init; }

    /// <summary><c>ExpectedLogs</c> or null when absent.</summary>
    public JsonArray? ExpectedLogs { get; init; }

    /// <summary><c>TelemetryAssertions</c> (otel.md §4): the OpenTelemetry assertions, or null when absent.</summary>
    public JsonObject? TelemetryAssertions { get; init; }

    /// <summary><c>ExecutionTelemetryAssertions</c>: a long-running file's execution-view assertions, or null.</summary>
    public JsonObject? ExecutionTelemetryAssertions { get; init; }

    /// <summary><c>optional: true</c>: a failure is <c>OPTIONAL_FAILED</c>.</summary>
    public bool Optional { get; init; }

    /// <summary>Why the file cannot be run (malformed YAML, missing EventId, bad callback action …), or null.</summary>
    public string? LoadError { get; init; }

    /// <summary>Finds <c>&lt;root&gt;/&lt;suite&gt;/**/*.yaml</c>; the id is the file stem, the suite the top folder.</summary>
    public static IReadOnlyList<Requirement> LoadAll(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The requirements folder '{root}' does not exist.");
        }

        var list = new List<Requirement>();
        foreach (var suiteDir in Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            var suite = System.IO.Path.GetFileName(suiteDir);
            foreach (var file in Directory.EnumerateFiles(suiteDir, "*.yaml", SearchOption.AllDirectories))
            {
                list.Add(Load(file, suite));
            }
        }

        return list.OrderBy(r => r, RequirementOrder.Instance).ToList();
    }

    /// <summary>Reads one file.</summary>
    public static Requirement Load(string path, string suite)
    {
        var id = System.IO.Path.GetFileNameWithoutExtension(path);
        try
        {
            return FromYaml(File.ReadAllText(path), id, suite, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Requirement { Id = id, Suite = suite, Path = path, LoadError = $"Cannot read {path}: {ex.Message}" };
        }
    }

    /// <summary>Parses requirement YAML text.</summary>
    public static Requirement FromYaml(string yaml, string id, string suite, string path = "")
    {
        JsonNode? root;
        try
        {
            root = YamlJson.Parse(yaml);
        }
        catch (FormatException ex)
        {
            return new Requirement { Id = id, Suite = suite, Path = path, LoadError = ex.Message };
        }

        if (root is not JsonObject doc)
        {
            return new Requirement { Id = id, Suite = suite, Path = path, LoadError = "The requirement file is not a YAML mapping." };
        }

        var errors = new List<string>();
        var description = doc["description"] is { } d ? Py.Str(d) : null;

        var variables = doc["Variables"];
        if (variables is not null and not JsonObject)
        {
            errors.Add("Variables must be a mapping.");
        }

        var history = doc["ExpectedExecutionHistory"];
        var historyArray = new JsonArray();
        if (history is JsonArray array)
        {
            historyArray = (JsonArray)array.DeepClone();
            for (var i = 0; i < historyArray.Count; i++)
            {
                if (historyArray[i] is not JsonObject ev)
                {
                    errors.Add($"ExpectedExecutionHistory[{i}] is not a mapping.");
                }
                else if (!ev.ContainsKey("EventId"))
                {
                    errors.Add($"ExpectedExecutionHistory[{i}] has no EventId.");
                }
                else if (!Py.IsNumber(ev["EventId"]))
                {
                    errors.Add($"ExpectedExecutionHistory[{i}].EventId is not an integer.");
                }
            }
        }
        else if (history is not null)
        {
            errors.Add("ExpectedExecutionHistory must be a list.");
        }

        var expectedResult = doc["ExpectedResult"];
        if (expectedResult is not null and not JsonObject)
        {
            errors.Add("ExpectedResult must be a mapping.");
        }

        var logs = doc["ExpectedLogs"];
        if (logs is not null and not JsonArray)
        {
            errors.Add("ExpectedLogs must be a list.");
        }

        var telemetry = doc["TelemetryAssertions"];
        if (telemetry is not null and not JsonObject)
        {
            errors.Add("TelemetryAssertions must be a mapping.");
        }

        var executionTelemetry = doc["ExecutionTelemetryAssertions"];
        if (executionTelemetry is not null and not JsonObject)
        {
            errors.Add("ExecutionTelemetryAssertions must be a mapping.");
        }

        var actions = ReadActions(doc["CallbackActions"], errors);
        double poll = 2, noProgress = 30;
        if (doc["AsyncConfig"] is JsonObject asyncConfig)
        {
            poll = ReadSeconds(asyncConfig["PollIntervalSeconds"], 2, "AsyncConfig.PollIntervalSeconds", errors);
            noProgress = ReadSeconds(asyncConfig["NoProgressTimeoutSeconds"], 30, "AsyncConfig.NoProgressTimeoutSeconds", errors);
        }

        return new Requirement
        {
            Id = id,
            Suite = suite,
            Path = path,
            Description = description,
            Variables = variables as JsonObject is { } v ? (JsonObject)v.DeepClone() : null,
            Input = doc["Input"]?.DeepClone(),
            AsyncInvoke = Truthy(doc["AsyncInvoke"]),
            CallbackActions = actions,
            PollIntervalSeconds = poll,
            NoProgressTimeoutSeconds = noProgress,
            ExpectedExecutionHistory = historyArray,
            ExpectedResult = expectedResult as JsonObject is { } r ? (JsonObject)r.DeepClone() : null,
            ExpectedLogs = logs as JsonArray is { } l ? (JsonArray)l.DeepClone() : null,
            TelemetryAssertions = telemetry as JsonObject is { } t ? (JsonObject)t.DeepClone() : null,
            ExecutionTelemetryAssertions = executionTelemetry as JsonObject is { } et ? (JsonObject)et.DeepClone() : null,
            Optional = Truthy(doc["optional"]),
            LoadError = errors.Count == 0 ? null : string.Join(" ", errors),
        };
    }

    private static bool Truthy(JsonNode? node) => Py.Kind(node) switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => Py.Str(node) != "0",
        JsonValueKind.String => node!.GetValue<string>().Length > 0,
        JsonValueKind.Array => node!.AsArray().Count > 0,
        JsonValueKind.Object => node!.AsObject().Count > 0,
        _ => false,
    };

    private static double ReadSeconds(JsonNode? node, double fallback, string what, List<string> errors)
    {
        if (node is null)
        {
            return fallback;
        }

        if (Py.IsNumber(node) && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{what} must be a number.");
        return fallback;
    }

    private static List<CallbackActionSpec> ReadActions(JsonNode? node, List<string> errors)
    {
        var list = new List<CallbackActionSpec>();
        if (node is null)
        {
            return list;
        }

        if (node is not JsonArray array)
        {
            errors.Add("CallbackActions must be a list.");
            return list;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject action)
            {
                errors.Add($"CallbackActions[{i}] is not a mapping.");
                continue;
            }

            var name = action["CallbackName"];
            if (name is null)
            {
                errors.Add($"CallbackActions[{i}] has no CallbackName.");
                continue;
            }

            var operation = Py.AsString(action["Operation"])?.ToLowerInvariant();
            if (operation is not ("success" or "failure" or "heartbeat"))
            {
                errors.Add($"CallbackActions[{i}].Operation must be success, failure or heartbeat (got {Py.Repr(action["Operation"])}).");
                continue;
            }

            var delay = 0d;
            if (action["Delay"] is { } delayNode)
            {
                if (!Py.IsNumber(delayNode)
                    || !double.TryParse(delayNode.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out delay)
                    || delay < 0)
                {
                    errors.Add($"CallbackActions[{i}].Delay must be a non-negative number of seconds.");
                    continue;
                }
            }

            list.Add(new CallbackActionSpec(Py.Str(name), operation, action["Payload"]?.DeepClone(),
                action.ContainsKey("Payload") && action["Payload"] is not null, delay));
        }

        return list;
    }
}

/// <summary>Orders requirement ids numerically by suite number then item (<c>1-2</c> before <c>1-10</c>).</summary>
public sealed class RequirementOrder : IComparer<Requirement>, IComparer<string>
{
    /// <summary>The instance.</summary>
    public static RequirementOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(Requirement? x, Requirement? y) => Compare(x?.Id, y?.Id);

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        var a = Key(x);
        var b = Key(y);
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        var byLength = a.Length.CompareTo(b.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    private static long[] Key(string? id) =>
        (id ?? "").Split('-').Select(p => long.TryParse(p, out var n) ? n : long.MaxValue).ToArray();
}
