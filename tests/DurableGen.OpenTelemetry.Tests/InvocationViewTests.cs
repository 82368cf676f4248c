using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;
using static DurableGen.OpenTelemetry.Tests.SpanAssert;

namespace DurableGen.OpenTelemetry.Tests;

/// <summary>The invocation view: each invocation holds the operation segments it ran; everything links to Workflow.</summary>
[Collection(nameof(TracingCollection))]
public sealed class InvocationViewTests
{
    [Fact]
    public async Task A_step_is_an_operation_span_under_the_invocation_with_its_attempt_and_exactly_the_durable_attributes()
    {
        using var run = new TracedRun(DurableTracingView.Invocation);
        var result = await run.Runner<string, string>((_, ctx) =>
            ctx.StepAsync((_, _) => Task.FromResult("success"), "otel-success")).RunAsync("x");

        var arn = result.DurableExecutionArn;
        var spans = run.SpansOf(arn);
        WellFormed(spans);
        Assert.Equal(4, spans.Count);
        var workflow = Single(spans, "Workflow");
        var invocation = Single(spans, "Invocation");
        var step = Single(spans, "otel-success");
        var attempt = Single(spans, "otel-success attempt 1");
        var id = result.GetStep("otel-success").Id;

        Assert.Equal(default, workflow.ParentSpanId);
        Assert.Empty(workflow.Links);
        Assert.Equal(ActivityStatusCode.Ok, workflow.Status);
        // The invocation hangs under the (unexported) X-Ray parent of the execution's trace: not a second root.
        Assert.NotEqual(default, invocation.ParentSpanId);
        Assert.Equal(workflow.TraceId, invocation.TraceId);
        Durable(invocation, (DurableAttributes.ExecutionArn, arn), (DurableAttributes.InvocationFirst, true),
            (DurableAttributes.InvocationStatus, "SUCCEEDED"));
        ChildOf(step, invocation);
        LinksTo(step, workflow);
        Assert.Equal(TraceIds.Operation(arn, id), step.SpanId);
        Durable(step, (DurableAttributes.ExecutionArn, arn), (DurableAttributes.OperationId, id),
            (DurableAttributes.OperationType, "STEP"), (DurableAttributes.OperationSubType, "Step"),
            (DurableAttributes.OperationName, "otel-success"), (DurableAttributes.OperationStatus, "SUCCEEDED"),
            (DurableAttributes.AttemptNumber, 1));
        ChildOf(attempt, step);
        LinksTo(attempt, workflow);
        Durable(attempt, (DurableAttributes.ExecutionArn, arn), (DurableAttributes.OperationId, id),
            (DurableAttributes.OperationType, "STEP"), (DurableAttributes.OperationSubType, "Step"),
            (DurableAttributes.OperationName, "otel-success"), (DurableAttributes.AttemptNumber, 1),
            (DurableAttributes.AttemptOutcome, "SUCCEEDED"));
        Assert.Equal(ActivityStatusCode.Ok, attempt.Status);
    }

    [Fact]
    public async Task A_retry_leaves_a_started_segment_in_the_first_invocation_and_a_replay_segment_in_the_second()
    {
        using var run = new TracedRun(DurableTracingView.Invocation);
        var attempts = 0;
        var result = await run.Runner<string, string>((_, ctx) => ctx.StepAsync(
            (_, _) => ++attempts == 1 ? throw new InvalidOperationException("once") : Task.FromResult("ok"), "otel-retry",
            new StepConfig { RetryStrategy = RetryStrategy.Exponential(2, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None) }))
            .RunAsync("x");

        var spans = run.SpansOf(result.DurableExecutionArn);
        WellFormed(spans);
        Assert.Equal(7, spans.Count);
        var invocations = All(spans, "Invocation");
        var segments = All(spans, "otel-retry");
        Assert.Equal(2, segments.Count);
        ChildOf(segments[0], invocations[0]);
        Assert.Equal("STARTED", segments[0].GetTagItem(DurableAttributes.OperationStatus));
        Assert.Null(segments[0].GetTagItem(DurableAttributes.AttemptNumber));
        Assert.Equal(ActivityStatusCode.Unset, segments[0].Status);
        ChildOf(segments[1], invocations[1]);
        Assert.Equal("SUCCEEDED", segments[1].GetTagItem(DurableAttributes.OperationStatus));
        Assert.Equal(2, segments[1].GetTagItem(DurableAttributes.AttemptNumber));
        var first = Single(spans, "otel-retry attempt 1");
        ChildOf(first, segments[0]);
        Assert.Equal(ActivityStatusCode.Error, first.Status);
        ChildOf(Single(spans, "otel-retry attempt 2"), segments[1]);
        Assert.Equal("PENDING", invocations[0].GetTagItem(DurableAttributes.InvocationStatus));
    }

    [Fact]
    public async Task A_wait_is_started_in_one_invocation_and_continued_in_the_next_and_replayed_steps_emit_nothing()
    {
        using var run = new TracedRun(DurableTracingView.Invocation);
        var result = await run.Runner<string, string>(async (_, ctx) =>
        {
            await ctx.StepAsync((_, _) => Task.FromResult("a"), "before");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1), "otel-wait");
            return await ctx.StepAsync((_, _) => Task.FromResult("b"), "otel-after-resume");
        }).RunAsync("x");

        var spans = run.SpansOf(result.DurableExecutionArn);
        WellFormed(spans);
        var invocations = All(spans, "Invocation");
        Assert.Equal(2, invocations.Count);
        Single(spans, "before");
        Single(spans, "before attempt 1");
        var waits = All(spans, "otel-wait");
        Assert.Equal(2, waits.Count);
        ChildOf(waits[0], invocations[0]);
        Assert.Equal("STARTED", waits[0].GetTagItem(DurableAttributes.OperationStatus));
        Assert.Equal(ActivityStatusCode.Unset, waits[0].Status);
        ChildOf(waits[1], invocations[1]);
        Assert.Equal("SUCCEEDED", waits[1].GetTagItem(DurableAttributes.OperationStatus));
        Assert.Equal(ActivityStatusCode.Ok, waits[1].Status);
        var after = Single(spans, "otel-after-resume");
        Assert.True(waits[1].StartTimeUtc + waits[1].Duration <= after.StartTimeUtc);
        // Workflow, two invocations, step + attempt, wait started and wait continued, step + attempt: nothing twice.
        Assert.Equal(9, spans.Count);
    }

    [Fact]
    public async Task A_chained_invoke_target_is_its_own_trace_with_its_own_workflow_between_the_callers_invocations()
    {
        using var run = new TracedRun(DurableTracingView.Invocation);
        var runner = run.Runner<string, string>((input, ctx) => ctx.InvokeAsync<string, string>("target", input, "otel-invoke"));
        runner.Host.RegisterDurableFunction<string, string>("target", (input, _) => Task.FromResult(input),
            DurableGen.Testing.DurableTestSerializers.Reflection);
        var result = await runner.RunAsync("payload");

        Assert.Equal("payload", result.Result);
        var caller = run.SpansOf(result.DurableExecutionArn);
        WellFormed(caller);
        var targetArn = Assert.Single(run.ExecutionArns(), a => a != result.DurableExecutionArn);
        var target = run.SpansOf(targetArn);
        WellFormed(target);
        Assert.NotEqual(Single(caller, "Workflow").TraceId, Single(target, "Workflow").TraceId);
        var callerInvocations = All(caller, "Invocation");
        Assert.Equal(2, callerInvocations.Count);
        var targetInvocation = Single(target, "Invocation");
        Assert.True(callerInvocations[0].StartTimeUtc + callerInvocations[0].Duration <= targetInvocation.StartTimeUtc);
        Assert.True(targetInvocation.StartTimeUtc + targetInvocation.Duration <= callerInvocations[1].StartTimeUtc);
        var invokes = All(caller, "otel-invoke");
        Assert.Equal(["STARTED", "SUCCEEDED"], invokes.Select(i => i.GetTagItem(DurableAttributes.OperationStatus)));
        Assert.Equal("CHAINED_INVOKE", invokes[0].GetTagItem(DurableAttributes.OperationType));
        ChildOf(invokes[1], callerInvocations[1]);
    }

    [Fact]
    public async Task A_flat_child_context_is_a_span_under_the_invocation()
    {
        using var run = new TracedRun(DurableTracingView.Invocation);
        var result = await run.Runner<string, string>((_, ctx) => ctx.RunInChildContextAsync(
            (_, _) => Task.FromResult("virtual-complete"), "otel-virtual-context",
            new ChildContextConfig { NestingType = NestingType.Flat })).RunAsync("x");

        var spans = run.SpansOf(result.DurableExecutionArn);
        Assert.Equal(3, spans.Count);
        var context = Single(spans, "otel-virtual-context");
        ChildOf(context, Single(spans, "Invocation"));
        Assert.Equal(ActivityStatusCode.Ok, context.Status);
    }
}
