using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DurableGen.Conformance.Handlers.Parallel;

namespace DurableGen.Conformance.Handlers.Map;

/// <summary>Helpers for the map handlers.</summary>
internal static class Items
{
    /// <summary>Map config running one item at a time with <paramref name="completion"/>.</summary>
    public static MapConfig<string> Sequential(CompletionConfig completion) =>
        new() { MaxConcurrency = 1, CompletionConfig = completion };

    /// <summary>Returns <c>ok</c> unless the index is in <paramref name="failing"/>, where it throws.</summary>
    public static Func<IDurableContext, string, int, IReadOnlyList<string>, System.Threading.CancellationToken, Task<string>>
        FailingAt(params int[] failing) =>
        (_, _, index, _, _) => failing.Contains(index)
            ? throw new InvalidOperationException($"item {index} failed")
            : Task.FromResult("ok");
}

/// <summary>9-1: <c>map</c> over the input strings, one step per item, one item at a time.</summary>
[Conformance("9-1")]
public sealed class MapBasic : IConformanceCase<string[], IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(string[] input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(input,
            (iteration, item, _, _, _) => iteration.StepAsync((_, _) => Task.FromResult($"Hello, {item}!")),
            "map", new MapConfig<string> { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>9-2: the items-only form (no name): each number is doubled directly.</summary>
[Conformance("9-2")]
public sealed class MapItemsOnly : IConformanceCase<int[], IReadOnlyList<int>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> RunAsync(int[] input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(input, (_, item, _, _, _) => Task.FromResult(item * 2),
            config: new MapConfig<int> { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>9-3: the map function receives the index: item + index.</summary>
[Conformance("9-3")]
public sealed class MapWithIndex : IConformanceCase<int[], IReadOnlyList<int>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> RunAsync(int[] input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(input, (_, item, index, _, _) => Task.FromResult(item + index),
            config: new MapConfig<int> { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>9-5: fail-fast (tolerated failure count 0): item 1 fails and item 2 never starts.</summary>
[Conformance("9-5")]
public sealed class MapFailFast : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b", "c"], Items.FailingAt(1),
            config: Items.Sequential(new CompletionConfig { ToleratedFailureCount = 0 }));
        return BatchProjection.Full(result);
    }
}

/// <summary>9-6: fail-fast, then <see cref="IBatchResult{T}.ThrowIfError"/>: the item failure fails the execution.</summary>
[Conformance("9-6")]
public sealed class MapThrowIfError : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b"], Items.FailingAt(0),
            config: Items.Sequential(new CompletionConfig { ToleratedFailureCount = 0 }));
        result.ThrowIfError();
        return result.GetResults();
    }
}

/// <summary>9-7: min successful 2 of 4: the map completes after two items.</summary>
[Conformance("9-7")]
public sealed class MapMinSuccessful : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b", "c", "d"], Items.FailingAt(),
            config: Items.Sequential(new CompletionConfig { MinSuccessful = 2 }));
        return BatchProjection.Successes(result);
    }
}

/// <summary>9-8: tolerated failure count 1 with one failure: every item runs.</summary>
[Conformance("9-8")]
public sealed class MapToleratedFailureWithin : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b", "c"], Items.FailingAt(1),
            config: Items.Sequential(new CompletionConfig { ToleratedFailureCount = 1 }));
        return BatchProjection.Full(result);
    }
}

/// <summary>9-9: tolerated failure count 1 with two failures: the map stops after the second.</summary>
[Conformance("9-9")]
public sealed class MapToleratedFailureExceeded : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b", "c"], Items.FailingAt(0, 1),
            config: Items.Sequential(new CompletionConfig { ToleratedFailureCount = 1 }));
        return BatchProjection.Counts(result);
    }
}

/// <summary>9-10: tolerated failure percentage 25 % (ratio 0.25): the second failure of four exceeds it.</summary>
[Conformance("9-10")]
public sealed class MapToleratedPercentageExceeded : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b", "c", "d"], Items.FailingAt(0, 1),
            config: Items.Sequential(new CompletionConfig { ToleratedFailurePercentage = 0.25 }));
        return BatchProjection.Counts(result);
    }
}

/// <summary>9-11: max concurrency 2 over three items; results come back in item order.</summary>
[Conformance("9-11")]
public sealed class MapMaxConcurrency : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync([0, 1, 2], (_, item, _, _, _) => Task.FromResult("r" + item),
            config: new MapConfig<int> { MaxConcurrency = 2 });
        return result.GetResults();
    }
}

/// <summary>9-15: iteration 1 waits 1 s; the replay skips iteration 0 and resumes iteration 1 after the wait.</summary>
[Conformance("9-15")]
public sealed class MapSuspendAndReplay : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync([0, 1], async (iteration, item, _, _, _) =>
            {
                if (item == 1)
                {
                    await iteration.WaitAsync(TimeSpan.FromSeconds(1));
                }

                return await iteration.StepAsync((_, _) => Task.FromResult("r" + item));
            },
            config: new MapConfig<int> { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>9-16: four ~70 KB results: the aggregate exceeds 256 KB, so the map checkpoints a stripped summary and
/// replays its children.</summary>
[Conformance("9-16")]
public sealed class MapLargeAggregate : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync([0, 1, 2, 3], (_, item, _, _, _) => Task.FromResult(new string((char)('a' + item), 70 * 1024)),
            config: new MapConfig<int> { MaxConcurrency = 1 });
        return new JsonObject { ["successCount"] = result.SuccessCount, ["totalCount"] = result.TotalCount };
    }
}

/// <summary>9-17: a completed map, then a 1 s wait; the replay rebuilds the map's result without running it.</summary>
[Conformance("9-17")]
public sealed class MapThenWait : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b"], (_, item, _, _, _) => Task.FromResult(item.ToUpperInvariant()),
            config: new MapConfig<string> { MaxConcurrency = 1 });
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return result.GetResults();
    }
}

/// <summary>9-18: a map with a tolerated failure, then a 1 s wait; the replay rebuilds the failed item too.</summary>
[Conformance("9-18")]
public sealed class MapWithFailureThenWait : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["a", "b"], Items.FailingAt(1),
            config: Items.Sequential(new CompletionConfig { ToleratedFailureCount = 1 }));
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return BatchProjection.Full(result);
    }
}

/// <summary>The operation-level serializer of 9-19 and 9-20: the whole batch result as <c>OPSERDE:X,Y</c>.</summary>
internal sealed class OpSerde : ICheckpointSerializer<IBatchResult<string>>
{
    private const string Prefix = "OPSERDE:";

    public string? Serialize(IBatchResult<string> value, SerializationContext context) =>
        Prefix + string.Join(",", value.GetResults());

    public IBatchResult<string> Deserialize(string? data, SerializationContext context)
    {
        if (data is null || !data.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"Not an OPSERDE payload: {data}");
        }

        var values = data.Length == Prefix.Length ? [] : data[Prefix.Length..].Split(',');
        return new BatchResult<string>(
            values.Select((v, i) => (IBatchItem<string>)new BatchItem<string>(i, i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                BatchItemStatus.Succeeded, v, null)).ToList(),
            CompletionReason.AllCompleted);
    }

    public static MapConfig<string, string> Config() => new() { MaxConcurrency = 1, ResultSerializer = new OpSerde() };
}

/// <summary>9-19: an operation-level serializer writes the map's checkpoint as <c>OPSERDE:X,Y</c>.</summary>
[Conformance("9-19")]
public sealed class MapOperationSerializer : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["x", "y"], (_, item, _, _, _) => Task.FromResult(item.ToUpperInvariant()),
            config: OpSerde.Config());
        return result.GetResults();
    }
}

/// <summary>9-20: the same serializer, then a 1 s wait: the replay rebuilds the result by deserializing the checkpoint.</summary>
[Conformance("9-20")]
public sealed class MapOperationSerializerReplay : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync(["x", "y"], (_, item, _, _, _) => Task.FromResult(item.ToUpperInvariant()),
            config: OpSerde.Config());
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return result.GetResults();
    }
}
