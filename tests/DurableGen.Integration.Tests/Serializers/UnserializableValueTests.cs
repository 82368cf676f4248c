using System;
using System.Linq;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Serializers;

/// <summary>
/// A value the serializer cannot write is a programming error, not a transient failure: the operation fails at once
/// with <see cref="DurableSerializationException"/>, whatever its retry strategy, and a step body is never re-run for
/// it. The serializer is a real source-generated context that lacks <see cref="Unlisted"/>.
/// </summary>
public sealed class UnserializableValueTests
{
    private const string SerializationError = "DurableGen.DurableSerializationException";

    private static readonly StepConfig Retrying = new()
    {
        RetryStrategy = RetryStrategy.Exponential(5, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
    };

    private static DurableTestRunnerOptions Options => new() { Serializer = new JsonDurableSerializer(PrimitivesJson.Default) };

    [Fact]
    public async Task A_retrying_step_runs_its_body_once_and_fails_with_the_typed_error()
    {
        var runs = new Counter();
        var runner = new DurableTestRunner<int, int>(async (_, ctx) =>
        {
            var value = await ctx.StepAsync((_, _) =>
            {
                runs.Increment();
                return Task.FromResult(new Unlisted(1));
            }, "make", Retrying);
            return value.N;
        }, Options);

        var result = await runner.RunAsync(0);

        Assert.Equal(1, runs.Value);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(1, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.ExecutionFailed);
        Assert.Null(H.One(result, EventType.StepFailed).StepFailedDetails!.RetryDetails?.NextAttemptDelaySeconds);
        var step = result.GetStep("make");
        Assert.Equal(OperationStatus.Failed, step.Status);
        Assert.Equal(SerializationError, step.Error!.ErrorType);
        Assert.StartsWith("The result of step 'make' could not be serialized as DurableGen.Integration.Tests.Serializers.Unlisted: ",
            step.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("[JsonSerializable(typeof(DurableGen.Integration.Tests.Serializers.Unlisted))]", step.Error.ErrorMessage,
            StringComparison.Ordinal);
        Assert.Equal(SerializationError, result.Error!.ErrorType);
    }

    [Fact]
    public async Task The_workflow_can_catch_it_and_replays_never_re_run_the_body()
    {
        var runs = new Counter();
        StepException? caught = null;
        var runner = new DurableTestRunner<int, int>(async (_, ctx) =>
        {
            int fallback;
            try
            {
                await ctx.StepAsync((_, _) =>
                {
                    runs.Increment();
                    return Task.FromResult(new Unlisted(1));
                }, "make", new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry, RetryStrategy = Retrying.RetryStrategy });
                fallback = 0;
            }
            catch (StepException ex)
            {
                caught ??= ex;
                fallback = -1;
            }

            await ctx.WaitAsync(TimeSpan.FromMinutes(5), "later"); // a second invocation replays the failed step
            return fallback;
        }, Options);

        var result = await runner.RunAsync(0);

        Assert.Equal(-1, result.EnsureSucceeded().Result);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(1, runs.Value);
        Assert.Equal(SerializationError, caught!.ErrorType);
        Assert.IsType<DurableSerializationException>(caught.InnerException);
        Assert.Equal("DurableGen.Integration.Tests.Serializers.Unlisted", ((DurableSerializationException)caught.InnerException).ValueType);
    }

    [Fact]
    public async Task A_child_context_result_fails_the_context_with_the_typed_error()
    {
        var runner = new DurableTestRunner<int, int>(async (_, ctx) =>
            (await ctx.RunInChildContextAsync((_, _) => Task.FromResult(new Unlisted(2)), "child")).N, Options);

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        var child = result.FindOperation("child")!;
        Assert.Equal(OperationStatus.Failed, child.Status);
        Assert.Equal(SerializationError, child.Error!.ErrorType);
        Assert.StartsWith("The result of child context 'child' could not be serialized", child.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(SerializationError, result.Error!.ErrorType);
    }

    [Fact]
    public async Task A_wait_for_condition_state_fails_the_operation_instead_of_leaving_it_started()
    {
        var checks = new Counter();
        var runner = new DurableTestRunner<int, int>(async (_, ctx) => (await ctx.WaitForConditionAsync<Unlisted>((s, _, _) =>
        {
            checks.Increment();
            return Task.FromResult(new Unlisted(s.N + 1));
        }, new WaitForConditionConfig<Unlisted>
        {
            InitialState = new Unlisted(0),
            WaitStrategy = WaitStrategy.Fixed<Unlisted>(TimeSpan.FromSeconds(1), 5, isDone: s => s.N >= 3),
        }, "poll")).N, Options);

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(1, checks.Value);
        var poll = result.FindOperation("poll")!;
        Assert.Equal(OperationStatus.Failed, poll.Status);
        Assert.Equal(SerializationError, poll.Error!.ErrorType);
        Assert.StartsWith("The state of wait-for-condition 'poll' could not be serialized", poll.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(SerializationError, result.Error!.ErrorType);
    }

    [Fact]
    public async Task A_flat_parallel_units_result_fails_the_unit_like_a_nested_one()
    {
        var runner = new DurableTestRunner<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<Unlisted>(
                [(_, _) => Task.FromResult(new Unlisted(1))], "both",
                new ParallelConfig { NestingType = NestingType.Flat, CompletionConfig = CompletionConfig.AllCompleted() });
            return Assert.IsType<ChildContextException>(batch.Failed.Single().Error).ErrorType!;
        }, Options);

        var result = await runner.RunAsync(0);

        Assert.Equal(SerializationError, result.EnsureSucceeded().Result);
    }

    [Fact]
    public async Task An_invoke_payload_is_refused_before_anything_is_checkpointed()
    {
        var runner = new DurableTestRunner<int, string>(async (_, ctx) =>
        {
            var ex = await Assert.ThrowsAsync<DurableSerializationException>(() =>
                ctx.InvokeAsync<Unlisted, int>("target", new Unlisted(1), "call"));
            return ex.Message;
        }, Options);

        var result = await runner.RunAsync(0);

        Assert.StartsWith("The payload of invoke 'call' could not be serialized", result.EnsureSucceeded().Result, StringComparison.Ordinal);
        Assert.Null(result.FindOperation("call"));
    }

    [Fact]
    public async Task The_workflows_result_fails_the_execution_with_the_typed_error()
    {
        var runner = new DurableTestRunner<int, Unlisted>((n, _) => Task.FromResult(new Unlisted(n)), Options);

        var result = await runner.RunAsync(7);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(1, result.InvocationCount);
        Assert.Equal(SerializationError, result.Error!.ErrorType);
        Assert.StartsWith("The workflow's result could not be serialized as DurableGen.Integration.Tests.Serializers.Unlisted",
            result.Error.ErrorMessage, StringComparison.Ordinal);
    }
}

/// <summary>Not in <see cref="PrimitivesJson"/>.</summary>
public sealed record Unlisted(int N);

[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class PrimitivesJson : JsonSerializerContext;
