using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

// The OpenTelemetry scenarios wait for callbacks without a timeout, as AWS's scenario handlers do (otel.md §5): the
// runner completes them, so DG2021's advice does not apply here.
#pragma warning disable DG2021

namespace DurableGen.Conformance.Handlers.Otel;

/// <summary>The error the OpenTelemetry scenarios throw on purpose.</summary>
public sealed class OtelScenarioError(string message) : Exception(message);

/// <summary>otel-*-1 (<c>success</c>): one step that succeeds at once.</summary>
[Conformance("otel-invocation-1", "otel-execution-1")]
public sealed class OtelSuccess : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult("success"), "otel-success");
}

/// <summary>otel-*-2 (<c>wait-resume</c>): a one-second wait suspends the invocation; the next one runs a step.</summary>
[Conformance("otel-invocation-2", "otel-execution-2")]
public sealed class OtelWaitResume : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(1), "otel-wait");
        return await context.StepAsync((_, _) => Task.FromResult("resumed"), "otel-after-resume");
    }
}

/// <summary>otel-*-3 (<c>retry</c>): the step fails its first attempt and is retried once, one second later, in a new
/// invocation.</summary>
[Conformance("otel-invocation-3", "otel-execution-3")]
public sealed class OtelRetry : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => env.InvocationNumber == 1
                ? throw new OtelScenarioError("first attempt fails")
                : Task.FromResult("recovered"),
            "otel-retry",
            new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 2, initialDelay: TimeSpan.FromSeconds(1), backoffRate: 1.0,
                    jitter: JitterStrategy.None),
            });
}

/// <summary>otel-*-4 (<c>terminal-failure</c>): the step throws and is not retried, failing the execution.</summary>
[Conformance("otel-invocation-4", "otel-execution-4")]
public sealed class OtelTerminalFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync<string>((_, _) => throw new OtelScenarioError("terminal failure"), "otel-terminal-failure",
            new StepConfig { RetryStrategy = RetryStrategy.None });
}

/// <summary>otel-*-5 (<c>child-context</c>): a child context running one step.</summary>
[Conformance("otel-invocation-5", "otel-execution-5")]
public sealed class OtelChildContext : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((child, _) => child.StepAsync((_, _) => Task.FromResult("child"), "otel-child-step"),
            "otel-child-context");
}

/// <summary>otel-*-6 (<c>parallel-hierarchy</c>): a parallel of two named branches, each running one step, one branch
/// at a time.</summary>
[Conformance("otel-invocation-6", "otel-execution-6")]
public sealed class OtelParallelHierarchy : OtelCase, IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<string>(
            [
                new DurableBranch<string>("otel-parallel-branch-a", (branch, _) => branch.StepAsync((_, _) => Task.FromResult("a"), "otel-parallel-step-a")),
                new DurableBranch<string>("otel-parallel-branch-b", (branch, _) => branch.StepAsync((_, _) => Task.FromResult("b"), "otel-parallel-step-b")),
            ],
            "otel-parallel", new ParallelConfig { MaxConcurrency = 1 });
        return result.GetResults();
    }
}

/// <summary>otel-*-7 (<c>map-hierarchy</c>): a map over [1, 2] whose iterations are named by index, each running one
/// step, one item at a time.</summary>
[Conformance("otel-invocation-7", "otel-execution-7")]
public sealed class OtelMapHierarchy : OtelCase, IConformanceCase<JsonNode?, IReadOnlyList<int>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync([1, 2],
            (iteration, item, index, _, _) => iteration.StepAsync((_, _) => Task.FromResult(item * 2), "otel-map-step-" + index),
            "otel-map", new MapConfig<int> { MaxConcurrency = 1, ItemNamer = (_, index) => "otel-map-iteration-" + index });
        return result.GetResults();
    }
}

/// <summary>otel-*-8 (<c>handled-failure</c>): a step fails without retry, the workflow catches it and recovers with a
/// second step.</summary>
[Conformance("otel-invocation-8", "otel-execution-8")]
public sealed class OtelHandledFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        try
        {
            await context.StepAsync<string>((_, _) => throw new OtelScenarioError("handled failure"), "otel-handled-failure",
                new StepConfig { RetryStrategy = RetryStrategy.None });
        }
        catch (StepException)
        {
            // The failure is the scenario: the workflow goes on with the recovery step.
        }

        return await context.StepAsync((_, _) => Task.FromResult("recovered"), "otel-recovery-step");
    }
}

/// <summary>otel-*-9 (<c>wait-for-condition</c>): a counter from 0, one added per check, polled again one second later
/// while it is below 2; every poll after the first runs in a new invocation.</summary>
[Conformance("otel-invocation-9", "otel-execution-9")]
public sealed class OtelWaitForCondition : OtelCase, IConformanceCase<JsonNode?, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync((state, _, _) => Task.FromResult(state + 1),
            new WaitForConditionConfig<int>
            {
                InitialState = 0,
                WaitStrategy = WaitStrategy.FromDelegate<int>((state, _) =>
                    state < 2 ? WaitDecision.ContinueAfter(TimeSpan.FromSeconds(1)) : WaitDecision.Stop()),
            },
            "otel-condition");
}

/// <summary>otel-*-10 (<c>wait-for-callback</c>): waits for a callback whose submitter does nothing; the runner sends
/// its success (the requirement's <c>CallbackActions</c>).</summary>
[Conformance("otel-invocation-10", "otel-execution-10")]
public sealed class OtelWaitForCallback : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "otel-callback");
}

/// <summary>otel-*-11 (<c>chained-invoke</c>): invokes a target that returns its input; the target registers the same
/// tracing plugin, so its execution exports its own Workflow root.</summary>
[Conformance("otel-invocation-11", "otel-execution-11")]
public sealed class OtelChainedInvoke : OtelCase, IConformanceCase<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<JsonNode?, JsonNode?>(env.Target(OtelEchoTarget.Name), input, "otel-invoke");
}

/// <summary>otel-*-12 (<c>child-context-failure</c>): the child context's function throws.</summary>
[Conformance("otel-invocation-12", "otel-execution-12")]
public sealed class OtelChildContextFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync<string>((_, _) => throw new OtelScenarioError("child context fails"), "otel-failed-child-context");
}

/// <summary>otel-*-13 (<c>parallel-failure</c>): a parallel whose only branch throws; the parallel itself succeeds with
/// the failure in its result, and the workflow rethrows it.</summary>
[Conformance("otel-invocation-13", "otel-execution-13")]
public sealed class OtelParallelFailure : OtelCase, IConformanceCase<JsonNode?, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<string>(
            [new DurableBranch<string>("otel-failed-parallel-branch", (_, _) => throw new OtelScenarioError("parallel branch fails"))],
            "otel-failed-parallel", new ParallelConfig { MaxConcurrency = 1 });
        result.ThrowIfError();
        return result.GetResults();
    }
}

/// <summary>otel-*-14 (<c>map-failure</c>): a map over [1] whose only iteration throws; the map succeeds with the
/// failure in its result, and the workflow rethrows it.</summary>
[Conformance("otel-invocation-14", "otel-execution-14")]
public sealed class OtelMapFailure : OtelCase, IConformanceCase<JsonNode?, IReadOnlyList<int>>
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.MapAsync<int, int>([1], (_, _, _, _, _) => throw new OtelScenarioError("map iteration fails"),
            "otel-failed-map", new MapConfig<int> { MaxConcurrency = 1, ItemNamer = (_, index) => "otel-failed-map-iteration-" + index });
        result.ThrowIfError();
        return result.GetResults();
    }
}

/// <summary>otel-*-15 (<c>wait-interrupted</c>): a 30 s wait in a function whose executions time out after 15 s, so
/// the execution ends TIMED_OUT while the wait is pending.</summary>
[Conformance("otel-invocation-15", "otel-execution-15", ExecutionTimeoutSeconds = 15)]
public sealed class OtelWaitInterrupted : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(30), "otel-interrupted-wait");
        return "unreachable";
    }
}

/// <summary>otel-*-16 (<c>wait-for-condition-failure</c>): the condition check throws, failing the operation at once.</summary>
[Conformance("otel-invocation-16", "otel-execution-16")]
public sealed class OtelWaitForConditionFailure : OtelCase, IConformanceCase<JsonNode?, int>
{
    /// <inheritdoc />
    public Task<int> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForConditionAsync<int>((_, _, _) => throw new OtelScenarioError("condition check fails"),
            new WaitForConditionConfig<int>
            {
                InitialState = 0,
                WaitStrategy = WaitStrategy.FromDelegate<int>((_, _) => WaitDecision.Stop()),
            },
            "otel-failed-condition");
}

/// <summary>otel-*-17 (<c>wait-for-callback-failure</c>): waits for a callback the runner fails (the requirement's
/// <c>CallbackActions</c>), failing the execution.</summary>
[Conformance("otel-invocation-17", "otel-execution-17")]
public sealed class OtelWaitForCallbackFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "otel-failed-callback");
}

/// <summary>otel-*-18 (<c>chained-invoke-failure</c>): invokes a target that throws (with the same tracing plugin), so
/// the invoke and the execution fail.</summary>
[Conformance("otel-invocation-18", "otel-execution-18")]
public sealed class OtelChainedInvokeFailure : OtelCase, IConformanceCase<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.InvokeAsync<JsonNode?, JsonNode?>(env.Target(OtelErrorTarget.Name), input, "otel-failed-invoke");
}

/// <summary>otel-*-19 (<c>execution-failure</c>): the handler itself throws.</summary>
[Conformance("otel-invocation-19", "otel-execution-19")]
public sealed class OtelExecutionFailure : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        throw new OtelScenarioError("execution fails");
}

/// <summary>otel-*-20 (<c>virtual-context</c>): a flat (virtual) child context, which writes no record of its own, so
/// the history holds only the execution's events; its span comes from the context function's hooks.</summary>
[Conformance("otel-invocation-20", "otel-execution-20")]
public sealed class OtelVirtualContext : OtelCase, IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.RunInChildContextAsync((_, _) => Task.FromResult("virtual-complete"), "otel-virtual-context",
            new ChildContextConfig { NestingType = NestingType.Flat });
}
