using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Steps;

public sealed class StepTests
{
    public sealed record Order(string Id, int Quantity, decimal Price);

    [Fact]
    public async Task Fresh_step_checkpoints_start_then_succeed_with_the_serialized_result()
    {
        var runner = ReflectionRunner.Create<string, string>((input, ctx) =>
            ctx.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"), "greet"));

        var result = await runner.RunAsync("World");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("Hello, World!", result.Result);
        Assert.Equal(1, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
        var started = H.One(result, EventType.StepStarted);
        var succeeded = H.One(result, EventType.StepSucceeded);
        Assert.Equal(H.Root1, started.Id);
        Assert.Equal(H.Root1, succeeded.Id);
        Assert.Equal("Step", started.SubType);
        Assert.Equal("Step", succeeded.SubType);
        Assert.Equal("greet", started.Name);
        Assert.Null(started.ParentId);
        Assert.Equal("\"Hello, World!\"", succeeded.StepSucceededDetails!.Result!.Payload);
        Assert.Equal(1, succeeded.StepSucceededDetails.RetryDetails?.CurrentAttempt);
        var step = result.GetStep("greet");
        Assert.Equal(OperationStatus.Succeeded, step.Status);
        Assert.Equal(1, step.Attempt);
    }

    [Fact]
    public async Task Root_operations_get_sha256_positional_ids_and_no_parent()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var a = await ctx.StepAsync((_, _) => Task.FromResult(1));
            var b = await ctx.StepAsync((_, _) => Task.FromResult(2));
            var c = await ctx.StepAsync((_, _) => Task.FromResult(3));
            return a + b + c;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(6, result.Result);
        Assert.Equal(new[] { H.Root1, H.Root2, H.RootId(3) }, result.AllOperations.Select(o => o.Id).ToArray());
        Assert.All(result.AllOperations, o => Assert.Null(o.ParentId));
        Assert.All(result.AllOperations, o => Assert.Null(o.Name));
        Assert.All(result.History.Where(e => e.EventType == EventType.StepStarted), e => Assert.Null(e.Name));
    }

    [Fact]
    public async Task Step_context_exposes_the_operation_id_and_first_attempt()
    {
        string? seenId = null;
        var seenAttempt = 0;
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            await ctx.StepAsync((_, _) => Task.FromResult(0), "first");
            return await ctx.StepAsync((step, _) =>
            {
                seenId = step.OperationId;
                seenAttempt = step.AttemptNumber;
                return Task.FromResult(step.OperationId);
            }, "second");
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(H.Root2, seenId);
        Assert.Equal(H.Root2, result.Result);
        Assert.Equal(1, seenAttempt);
    }

    [Fact]
    public async Task Replay_returns_the_checkpointed_result_without_running_the_body_again()
    {
        var bodyRuns = new Counter();
        var workflowRuns = new Counter();
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            workflowRuns.Increment();
            var value = await ctx.StepAsync((_, _) => Task.FromResult($"{input}#{bodyRuns.Increment()}"), "stamp");
            await ctx.WaitAsync(TimeSpan.FromMinutes(5), "pause");
            return value;
        });

        var result = await runner.RunAsync("x");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(2, workflowRuns.Value);
        Assert.Equal(1, bodyRuns.Value);
        Assert.Equal("x#1", result.Result);
        Assert.Single(H.Of(result, EventType.StepStarted));
        Assert.Single(H.Of(result, EventType.StepSucceeded));
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.WaitStarted,
            EventType.InvocationCompleted, EventType.WaitSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
    }

    [Fact]
    public async Task Complex_results_round_trip_through_the_checkpoint_on_replay()
    {
        var runner = ReflectionRunner.Create<string, Order>(async (input, ctx) =>
        {
            var order = await ctx.StepAsync((_, _) => Task.FromResult(new Order(input, 3, 9.5m)), "load");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return order with { Quantity = order.Quantity + 1 };
        });

        var result = await runner.RunAsync("o-1");

        Assert.Equal(new Order("o-1", 4, 9.5m), result.Result);
        Assert.Equal(new Order("o-1", 3, 9.5m), result.GetStep("load").GetResult<Order>());
    }

    [Fact]
    public async Task Void_step_checkpoints_json_null_and_replays_without_running()
    {
        var bodyRuns = new Counter();
        var runner = ReflectionRunner.Create<int>(async (_, ctx) =>
        {
            await ctx.StepAsync((_, _) =>
            {
                bodyRuns.Increment();
                return Task.CompletedTask;
            }, "side-effect");
            await ctx.WaitAsync(TimeSpan.FromSeconds(2));
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(1, bodyRuns.Value);
        Assert.Equal("null", H.One(result, EventType.StepSucceeded).StepSucceededDetails!.Result!.Payload);
    }

    [Fact]
    public async Task Uncaught_step_failure_fails_the_execution_with_the_original_error_type()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.StepAsync<int>(
            (_, _) => throw new TransientError("boom"), "explode", new StepConfig { RetryStrategy = RetryStrategy.None }));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(TransientError).FullName, result.Error!.ErrorType);
        Assert.Equal("boom", result.Error.ErrorMessage);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.ExecutionFailed);
        var failed = H.One(result, EventType.StepFailed);
        Assert.Equal(typeof(TransientError).FullName, failed.StepFailedDetails!.Error!.Payload!.ErrorType);
        Assert.Equal("boom", failed.StepFailedDetails.Error.Payload.ErrorMessage);
        Assert.NotNull(failed.StepFailedDetails.Error.Payload.StackTrace);
        Assert.Null(failed.StepFailedDetails.RetryDetails?.NextAttemptDelaySeconds);
    }

    [Fact]
    public async Task A_failed_step_replays_as_the_same_step_exception_without_running_the_body()
    {
        var bodyRuns = new Counter();
        var caught = new System.Collections.Concurrent.ConcurrentQueue<StepException>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.StepAsync<int>((_, _) =>
                {
                    bodyRuns.Increment();
                    throw new InvalidOperationException("no stock");
                }, "reserve", new StepConfig { RetryStrategy = RetryStrategy.None });
            }
            catch (StepException ex)
            {
                caught.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(10));
            return "compensated";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("compensated", result.Result);
        Assert.Equal(1, bodyRuns.Value);
        Assert.Equal(2, caught.Count);
        var live = caught.First();
        var replayed = caught.Last();
        Assert.IsType<InvalidOperationException>(live.InnerException);
        Assert.Null(replayed.InnerException);
        Assert.Equal("no stock", live.Message);
        Assert.Equal("no stock", replayed.Message);
        Assert.Equal("System.InvalidOperationException", live.ErrorType);
        Assert.Equal("System.InvalidOperationException", replayed.ErrorType);
        Assert.NotNull(replayed.OriginalStackTrace);
    }

    [Fact]
    public async Task Operation_canceled_not_caused_by_the_step_token_is_an_ordinary_failure()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.StepAsync<int>((_, _) => throw new OperationCanceledException("remote call cancelled"),
                    "call", new StepConfig { RetryStrategy = RetryStrategy.None });
                return "no";
            }
            catch (StepException ex)
            {
                return ex.ErrorType!;
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("System.OperationCanceledException", result.Result);
        Assert.Equal("System.OperationCanceledException",
            H.One(result, EventType.StepFailed).StepFailedDetails!.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task Null_func_is_rejected_without_consuming_an_id()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            Assert.Throws<ArgumentNullException>(() => { Task ignored = ctx.StepAsync<int>(null!); });
            return await ctx.StepAsync((s, _) => Task.FromResult(s.OperationId));
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(H.Root1, result.Result);
    }
}
