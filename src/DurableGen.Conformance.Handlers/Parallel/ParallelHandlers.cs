using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Conformance.Handlers.Parallel;

/// <summary>Branch helpers for the parallel handlers.</summary>
internal static class Branches
{
    /// <summary>A branch that returns <paramref name="value"/> directly.</summary>
    public static Func<IDurableContext, CancellationToken, Task<T>> Returning<T>(T value) => (_, _) => Task.FromResult(value);

    /// <summary>A branch that throws.</summary>
    public static Func<IDurableContext, CancellationToken, Task<T>> Failing<T>(string message) =>
        (_, _) => throw new InvalidOperationException(message);

    /// <summary>Runs <paramref name="branches"/> one at a time with <paramref name="completion"/>.</summary>
    public static Task<IBatchResult<T>> Sequential<T>(IDurableContext context,
        IReadOnlyList<Func<IDurableContext, CancellationToken, Task<T>>> branches, CompletionConfig completion) =>
        context.ParallelAsync(branches, config: new ParallelConfig { MaxConcurrency = 1, CompletionConfig = completion });
}

/// <summary>8-1: <c>parallel</c> with two branches, each one step; one branch at a time.</summary>
[Conformance("8-1")]
public sealed class ParallelBasic : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<string>(
            [
                (branch, _) => branch.StepAsync((_, _) => Task.FromResult("task-1")),
                (branch, _) => branch.StepAsync((_, _) => Task.FromResult("task-2")),
            ],
            "parallel", new ParallelConfig { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>8-2: the branches-only form (no name); branches return their values directly.</summary>
[Conformance("8-2")]
public sealed class ParallelBranchesOnly : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync([Branches.Returning("alpha"), Branches.Returning("beta")],
            config: new ParallelConfig { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>8-4: branches return a string, a number and an object; each keeps its type.</summary>
[Conformance("8-4")]
public sealed class ParallelHeterogeneousResults : IConformanceCase<JsonNode?, IReadOnlyList<JsonNode?>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<JsonNode?>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<JsonNode?>(
            [
                Branches.Returning<JsonNode?>(JsonValue.Create("hello")),
                Branches.Returning<JsonNode?>(JsonValue.Create(42)),
                Branches.Returning<JsonNode?>(new JsonObject { ["k"] = "v" }),
            ],
            config: new ParallelConfig { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>8-5: an empty branch list completes at once with no results.</summary>
[Conformance("8-5")]
public sealed class ParallelEmpty : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync(Array.Empty<Func<IDurableContext, CancellationToken, Task<string>>>());
        return result.GetResults();
    }
}

/// <summary>8-6: fail-fast (tolerated failure count 0): the second branch fails and the third never starts.</summary>
[Conformance("8-6")]
public sealed class ParallelFailFast : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Returning("ok"), Branches.Failing<string>("branch 1 failed"), Branches.Returning("never")],
            new CompletionConfig { ToleratedFailureCount = 0 });
        return BatchProjection.Full(result);
    }
}

/// <summary>8-7: fail-fast, then <see cref="IBatchResult{T}.ThrowIfError"/>: the branch failure fails the execution.</summary>
[Conformance("8-7")]
public sealed class ParallelThrowIfError : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Failing<string>("branch 0 failed"), Branches.Returning("never")],
            new CompletionConfig { ToleratedFailureCount = 0 });
        result.ThrowIfError();
        return result.GetResults();
    }
}

/// <summary>8-8: min successful 2 of 4: the operation completes after two branches.</summary>
[Conformance("8-8")]
public sealed class ParallelMinSuccessful : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Returning("b0"), Branches.Returning("b1"), Branches.Returning("b2"), Branches.Returning("b3")],
            new CompletionConfig { MinSuccessful = 2 });
        return BatchProjection.Successes(result);
    }
}

/// <summary>8-10: tolerated failure count 1 with two failures: the operation stops after the second.</summary>
[Conformance("8-10")]
public sealed class ParallelToleratedFailureCountExceeded : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Failing<string>("b0 failed"), Branches.Failing<string>("b1 failed"), Branches.Returning("never")],
            new CompletionConfig { ToleratedFailureCount = 1 });
        return BatchProjection.Counts(result);
    }
}

/// <summary>8-11: max concurrency 2 over three branches; results come back in branch order.</summary>
[Conformance("8-11")]
public sealed class ParallelMaxConcurrency : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync([Branches.Returning("r0"), Branches.Returning("r1"), Branches.Returning("r2")],
            config: new ParallelConfig { MaxConcurrency = 2 });
        return result.GetResults();
    }
}

/// <summary>8-12: flat nesting: the branches' steps are recorded directly under the parallel operation.</summary>
[Conformance("8-12")]
public sealed class ParallelFlatNesting : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<string>(
            [
                (branch, _) => branch.StepAsync((_, _) => Task.FromResult("fa")),
                (branch, _) => branch.StepAsync((_, _) => Task.FromResult("fb")),
            ],
            config: new ParallelConfig { MaxConcurrency = 1, NestingType = NestingType.Flat });
        return result.GetResults();
    }
}

/// <summary>8-13: tolerated failure percentage 25 % (ratio 0.25): the second failure of four exceeds it.</summary>
[Conformance("8-13")]
public sealed class ParallelToleratedPercentageExceeded : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [
                Branches.Failing<string>("b0 failed"), Branches.Failing<string>("b1 failed"), Branches.Returning("b2"),
                Branches.Returning("b3"),
            ],
            new CompletionConfig { ToleratedFailurePercentage = 0.25 });
        return BatchProjection.Counts(result);
    }
}

/// <summary>8-15: a per-branch serializer that checkpoints each result as <c>{"wrapped": v}</c>.</summary>
[Conformance("8-15")]
public sealed class ParallelItemSerializer : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync([Branches.Returning("x"), Branches.Returning("y")],
            config: new ParallelConfig<string> { MaxConcurrency = 1, ItemSerializer = new WrappingSerializer() });
        return result.GetResults();
    }

    private sealed class WrappingSerializer : ICheckpointSerializer<string>
    {
        public string? Serialize(string value, SerializationContext context) => new JsonObject { ["wrapped"] = value }.ToJsonString();

        public string Deserialize(string? data, SerializationContext context) =>
            JsonNode.Parse(data ?? throw new InvalidOperationException("No wrapped value."))!["wrapped"]!.GetValue<string>();
    }
}

/// <summary>8-16: every branch fails but within the tolerance of 3: all run, ALL_COMPLETED, status FAILED.</summary>
[Conformance("8-16")]
public sealed class ParallelAllFailWithinTolerance : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Failing<string>("b0 failed"), Branches.Failing<string>("b1 failed"), Branches.Failing<string>("b2 failed")],
            new CompletionConfig { ToleratedFailureCount = 3 });
        return BatchProjection.Full(result);
    }
}

/// <summary>8-17: min successful 3 is never reached; without a failure tolerance every branch runs.</summary>
[Conformance("8-17")]
public sealed class ParallelMinSuccessfulNotReached : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Returning("b0"), Branches.Failing<string>("b1 failed"), Branches.Returning("b2")],
            new CompletionConfig { MinSuccessful = 3 });
        return BatchProjection.Full(result);
    }
}

/// <summary>8-18: min successful 3 and tolerated failure count 1: the tolerance is exceeded first.</summary>
[Conformance("8-18")]
public sealed class ParallelCombinedCompletion : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [
                Branches.Failing<string>("b0 failed"), Branches.Failing<string>("b1 failed"), Branches.Returning("b2"),
                Branches.Returning("b3"),
            ],
            new CompletionConfig { MinSuccessful = 3, ToleratedFailureCount = 1 });
        return BatchProjection.Counts(result);
    }
}

/// <summary>8-19: max concurrency 0 is rejected before anything is checkpointed; the execution fails.</summary>
[Conformance("8-19")]
public sealed class ParallelInvalidMaxConcurrency : IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync([Branches.Returning("a"), Branches.Returning("b")],
            config: new ParallelConfig { MaxConcurrency = 0 });
        return result.GetResults();
    }
}

/// <summary>8-20: the batch result's accessors: has-failure, succeeded, failed and errors.</summary>
[Conformance("8-20")]
public sealed class ParallelBatchAccessors : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Returning("b0"), Branches.Failing<string>("b1 failed"), Branches.Returning("b2")],
            new CompletionConfig { ToleratedFailureCount = 1 });
        return new JsonObject
        {
            ["hasFailure"] = result.HasFailure,
            ["successCount"] = result.Succeeded.Count,
            ["failureCount"] = result.Failed.Count,
            ["errorCount"] = result.GetErrors().Count,
        };
    }
}

/// <summary>8-22: one failure of four at a tolerated 25 % is not an excess (strictly greater): all branches run.</summary>
[Conformance("8-22")]
public sealed class ParallelToleratedPercentageBoundary : IConformanceCase<JsonNode?, JsonObject>
{
    /// <inheritdoc />
    public async Task<JsonObject> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await Branches.Sequential(context,
            [Branches.Failing<string>("b0 failed"), Branches.Returning("b1"), Branches.Returning("b2"), Branches.Returning("b3")],
            new CompletionConfig { ToleratedFailurePercentage = 0.25 });
        return BatchProjection.Full(result);
    }
}
