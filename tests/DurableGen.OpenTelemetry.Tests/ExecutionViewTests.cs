using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;
using static DurableGen.OpenTelemetry.Tests.SpanAssert;

namespace DurableGen.OpenTelemetry.Tests;

/// <summary>The execution view: one span per operation under the Workflow, attempts under their operation.</summary>
[Collection(nameof(TracingCollection))]
public sealed class ExecutionViewTests
{
    private static readonly StepConfig RetryOnceAfterASecond = new()
    {
        RetryStrategy = RetryStrategy.Exponential(2, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
    };

    [Fact]
    public async Task A_retried_step_is_one_span_with_an_attempt_per_invocation_linked_to_the_invocation_it_ran_in()
    {
        using var run = new TracedRun(DurableTracingView.Execution);
        var attempts = 0;
        var result = await run.Runner<string, string>((_, ctx) => ctx.StepAsync(
            (_, _) => ++attempts == 1 ? throw new InvalidOperationException("once") : Task.FromResult("ok"), "otel-retry",
            RetryOnceAfterASecond)).RunAsync("x");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var spans = run.SpansOf(result.DurableExecutionArn);
        WellFormed(spans);
        var workflow = Single(spans, "Workflow");
        var invocations = All(spans, "Invocation");
        Assert.Equal(2, invocations.Count);
        var op = Single(spans, "otel-retry");
        var first = Single(spans, "otel-retry attempt 1");
        var second = Single(spans, "otel-retry attempt 2");

        Assert.Equal(default, workflow.ParentSpanId);
        Assert.Equal(TraceIds.Workflow(result.DurableExecutionArn), workflow.SpanId);
        Durable(workflow, (DurableAttributes.ExecutionArn, result.DurableExecutionArn), (DurableAttributes.ExecutionStatus, "SUCCEEDED"));
        ChildOf(op, workflow);
        Assert.Equal(TraceIds.Operation(result.DurableExecutionArn, op.GetTagItem(DurableAttributes.OperationId) as string ?? ""), op.SpanId);
        LinksTo(op, invocations[1]);
        Assert.Equal(2, op.GetTagItem(DurableAttributes.AttemptNumber));
        Assert.Equal("SUCCEEDED", op.GetTagItem(DurableAttributes.OperationStatus));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Ok, op.Status);

        ChildOf(first, op);
        ChildOf(second, op);
        LinksTo(first, invocations[0]);
        LinksTo(second, invocations[1]);
        Assert.Equal("FAILED", first.GetTagItem(DurableAttributes.AttemptOutcome));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, first.Status);
        Assert.Equal("SUCCEEDED", second.GetTagItem(DurableAttributes.AttemptOutcome));
        // Attempt 2 starts a retry delay (virtual time) after attempt 1 ended, not at the operation's first start.
        Assert.True(second.StartTimeUtc - first.StartTimeUtc >= TimeSpan.FromSeconds(1) && second.StartTimeUtc > first.StartTimeUtc + first.Duration,
            $"attempt 1 {first.StartTimeUtc:O}+{first.Duration}, attempt 2 {second.StartTimeUtc:O}, op {op.StartTimeUtc:O}");
        Assert.True(first.StartTimeUtc + first.Duration <= invocations[0].StartTimeUtc + invocations[0].Duration);
        Assert.True(invocations[0].StartTimeUtc + invocations[0].Duration <= invocations[1].StartTimeUtc);
    }

    [Fact]
    public async Task Replay_exports_nothing_twice_and_a_wait_is_one_span_from_its_start_to_its_timer()
    {
        using var run = new TracedRun(DurableTracingView.Execution);
        var result = await run.Runner<string, string>(async (_, ctx) =>
        {
            var a = await ctx.StepAsync((_, _) => Task.FromResult("a"), "before");
            await ctx.WaitAsync(TimeSpan.FromSeconds(30), "otel-wait");
            await ctx.WaitAsync(TimeSpan.FromSeconds(30), "otel-wait-2");
            return a + await ctx.StepAsync((_, _) => Task.FromResult("b"), "after");
        }).RunAsync("x");

        Assert.Equal("ab", result.Result);
        Assert.Equal(3, result.InvocationCount);
        var spans = run.SpansOf(result.DurableExecutionArn);
        WellFormed(spans);
        var workflow = Single(spans, "Workflow");
        var invocations = All(spans, "Invocation");
        Assert.Equal(3, invocations.Count);
        Assert.Equal([true, false, false], invocations.Select(i => i.GetTagItem(DurableAttributes.InvocationFirst)));
        Assert.Equal(["PENDING", "PENDING", "SUCCEEDED"], invocations.Select(i => i.GetTagItem(DurableAttributes.InvocationStatus)));
        var before = Single(spans, "before");
        Single(spans, "before attempt 1");
        LinksTo(before, invocations[0]);
        var wait = Single(spans, "otel-wait");
        ChildOf(wait, workflow);
        LinksTo(wait, invocations[1]);
        Assert.True(wait.Duration >= TimeSpan.FromSeconds(30));
        Assert.True(wait.StartTimeUtc < invocations[0].StartTimeUtc + invocations[0].Duration);
        var after = Single(spans, "after");
        LinksTo(after, invocations[2]);
        Assert.True(wait.StartTimeUtc + wait.Duration <= after.StartTimeUtc);
        // Workflow, three invocations, two steps with an attempt each, two waits: nothing twice.
        Assert.Equal(10, spans.Count);
    }

    [Fact]
    public async Task Child_context_parallel_and_map_nest_under_their_parents()
    {
        using var run = new TracedRun(DurableTracingView.Execution);
        var result = await run.Runner<string, string>(async (_, ctx) =>
        {
            var child = await ctx.RunInChildContextAsync((c, _) => c.StepAsync((_, _) => Task.FromResult("c"), "otel-child-step"),
                "otel-child-context");
            var parallel = await ctx.ParallelAsync<string>(
            [
                new DurableBranch<string>("otel-parallel-branch-a", (c, _) => c.StepAsync((_, _) => Task.FromResult("a"), "otel-parallel-step-a")),
                new DurableBranch<string>("otel-parallel-branch-b", (c, _) => c.StepAsync((_, _) => Task.FromResult("b"), "otel-parallel-step-b")),
            ], "otel-parallel");
            var map = await ctx.MapAsync<int, string>([1, 2],
                (c, item, index, _, _) => c.StepAsync((_, _) => Task.FromResult($"{item}"), $"otel-map-step-{index}"), "otel-map",
                new MapConfig<int> { ItemNamer = (_, index) => $"otel-map-iteration-{index}" });
            return child + string.Concat(parallel.GetResults()) + string.Concat(map.GetResults());
        }).RunAsync("x");

        Assert.Equal("cab12", result.Result);
        var spans = run.SpansOf(result.DurableExecutionArn);
        WellFormed(spans);
        var workflow = Single(spans, "Workflow");
        var invocation = Single(spans, "Invocation");

        var context = Single(spans, "otel-child-context");
        ChildOf(context, workflow);
        Durable(context, (DurableAttributes.ExecutionArn, result.DurableExecutionArn),
            (DurableAttributes.OperationId, context.GetTagItem(DurableAttributes.OperationId)!),
            (DurableAttributes.OperationType, "CONTEXT"), (DurableAttributes.OperationSubType, "RunInChildContext"),
            (DurableAttributes.OperationName, "otel-child-context"), (DurableAttributes.OperationStatus, "SUCCEEDED"));
        var childStep = Single(spans, "otel-child-step");
        ChildOf(childStep, context);
        ChildOf(Single(spans, "otel-child-step attempt 1"), childStep);

        var parallel = Single(spans, "otel-parallel");
        ChildOf(parallel, workflow);
        Assert.Equal("Parallel", parallel.GetTagItem(DurableAttributes.OperationSubType));
        foreach (var branch in new[] { "a", "b" })
        {
            var branchSpan = Single(spans, $"otel-parallel-branch-{branch}");
            ChildOf(branchSpan, parallel);
            Assert.Equal("ParallelBranch", branchSpan.GetTagItem(DurableAttributes.OperationSubType));
            var step = Single(spans, $"otel-parallel-step-{branch}");
            ChildOf(step, branchSpan);
            ChildOf(Single(spans, $"otel-parallel-step-{branch} attempt 1"), step);
            LinksTo(step, invocation);
        }

        var map = Single(spans, "otel-map");
        ChildOf(map, workflow);
        foreach (var index in new[] { 0, 1 })
        {
            var iteration = Single(spans, $"otel-map-iteration-{index}");
            ChildOf(iteration, map);
            Assert.Equal("MapIteration", iteration.GetTagItem(DurableAttributes.OperationSubType));
            ChildOf(Single(spans, $"otel-map-step-{index}"), iteration);
        }
    }

    [Fact]
    public async Task A_callback_and_its_submitter_nest_under_the_wait_for_callback_context()
    {
        using var run = new TracedRun(DurableTracingView.Execution);
        var runner = run.Runner<string, string>((_, ctx) =>
            ctx.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "otel-callback"));
        runner.OnCallback("otel-callback", cb => cb.SucceedAsync("callback-complete"));
        var result = await runner.RunAsync("x");

        Assert.Equal("callback-complete", result.Result);
        var spans = run.SpansOf(result.DurableExecutionArn);
        WellFormed(spans);
        var context = Single(spans, "otel-callback");
        ChildOf(context, Single(spans, "Workflow"));
        Assert.Equal("WaitForCallback", context.GetTagItem(DurableAttributes.OperationSubType));
        var callback = Single(spans, "otel-callback-callback");
        Assert.Equal(context.SpanId, callback.ParentSpanId);
        Assert.Equal("CALLBACK", callback.GetTagItem(DurableAttributes.OperationType));
        var submitter = Single(spans, "otel-callback-submitter");
        Assert.Equal(context.SpanId, submitter.ParentSpanId);
        ChildOf(Single(spans, "otel-callback-submitter attempt 1"), submitter);
    }

    [Fact]
    public async Task A_flat_child_context_is_a_span_though_it_has_no_record()
    {
        using var run = new TracedRun(DurableTracingView.Execution);
        var result = await run.Runner<string, string>((_, ctx) => ctx.RunInChildContextAsync(
            (_, _) => Task.FromResult("virtual-complete"), "otel-virtual-context",
            new ChildContextConfig { NestingType = NestingType.Flat })).RunAsync("x");

        Assert.Equal("virtual-complete", result.Result);
        Assert.Empty(result.AllOperations);
        var spans = run.SpansOf(result.DurableExecutionArn);
        var context = Single(spans, "otel-virtual-context");
        ChildOf(context, Single(spans, "Workflow"));
        LinksTo(context, Single(spans, "Invocation"));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Ok, context.Status);
    }

    [Fact]
    public async Task A_failing_workflow_ends_its_workflow_span_in_error()
    {
        using var run = new TracedRun(DurableTracingView.Execution);
        var result = await run.Runner<string, string>((_, ctx) => ctx.StepAsync<string>(
            (_, _) => throw new InvalidOperationException("no"), "otel-terminal-failure",
            new StepConfig { RetryStrategy = RetryStrategy.None })).RunAsync("x");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        var spans = run.SpansOf(result.DurableExecutionArn);
        var workflow = Single(spans, "Workflow");
        Assert.Equal("FAILED", workflow.GetTagItem(DurableAttributes.ExecutionStatus));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, workflow.Status);
        var invocation = Single(spans, "Invocation");
        Assert.Equal("FAILED", invocation.GetTagItem(DurableAttributes.InvocationStatus));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, invocation.Status);
        var op = Single(spans, "otel-terminal-failure");
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, op.Status);
        Assert.Equal(1, op.GetTagItem(DurableAttributes.AttemptNumber));
    }
}
