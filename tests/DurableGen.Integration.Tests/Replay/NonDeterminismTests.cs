using System;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Replay;

/// <summary>
/// Workflows whose shape depends on the invocation number (a captured counter): the first invocation records the
/// history, the second one sees a different program.
/// </summary>
public sealed class NonDeterminismTests
{
    private const string NdeType = "DurableGen.NonDeterministicExecutionException";

    [Fact]
    public async Task Changing_the_operation_type_at_a_position_fails_the_invocation()
    {
        var invocations = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            if (invocations.Increment() == 1)
            {
                await ctx.StepAsync((_, _) => Task.FromResult(1), "first");
            }
            else
            {
                await ctx.WaitAsync(TimeSpan.FromSeconds(1), "first");
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(5));
            return "done";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(NdeType, result.Error!.ErrorType);
        Assert.Contains(H.Root1, result.Error.ErrorMessage, StringComparison.Ordinal);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.WaitStarted,
            EventType.InvocationCompleted, EventType.WaitSucceeded, EventType.InvocationCompleted, EventType.ExecutionFailed);
    }

    [Fact]
    public async Task Changing_a_non_null_name_at_a_position_fails_the_invocation()
    {
        var invocations = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var name = invocations.Increment() == 1 ? "charge-card" : "refund-card";
            await ctx.StepAsync((_, _) => Task.FromResult(1), name);
            await ctx.WaitAsync(TimeSpan.FromSeconds(5));
            return "done";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(NdeType, result.Error!.ErrorType);
        Assert.Contains("refund-card", result.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("charge-card", result.Error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", null)]
    [InlineData(null, "b")]
    public async Task A_null_name_on_either_side_is_not_a_mismatch(string? first, string? second)
    {
        var invocations = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var name = invocations.Increment() == 1 ? first : second;
            var v = await ctx.StepAsync((_, _) => Task.FromResult(41), name);
            await ctx.WaitAsync(TimeSpan.FromSeconds(5));
            return v + 1;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(42, result.Result);
    }

    [Fact]
    public async Task Changing_the_sub_type_of_a_context_fails_the_invocation()
    {
        var invocations = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var subType = invocations.Increment() == 1 ? "Saga" : "Batch";
            await ctx.RunInChildContextAsync((_, _) => Task.FromResult(1), "group", new ChildContextConfig { SubType = subType });
            await ctx.WaitAsync(TimeSpan.FromSeconds(5));
            return "done";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(NdeType, result.Error!.ErrorType);
    }

    [Fact]
    public async Task The_exception_is_thrown_from_the_durable_call_and_can_be_caught()
    {
        var invocations = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var first = invocations.Increment() == 1;
            try
            {
                if (first)
                {
                    await ctx.StepAsync((_, _) => Task.FromResult(1));
                }
                else
                {
                    await ctx.CreateCallbackAsync<string>();
                }
            }
            catch (NonDeterministicExecutionException)
            {
                return "caught";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(5));
            return "not reached";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("caught", result.Result);
    }

    [Fact]
    public async Task Non_determinism_inside_a_child_is_not_written_as_a_context_failure()
    {
        var invocations = new Counter();
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.RunInChildContextAsync(async (child, _) =>
        {
            if (invocations.Increment() == 1)
            {
                await child.StepAsync((_, _) => Task.FromResult(1), "inner");
            }
            else
            {
                await child.WaitAsync(TimeSpan.FromSeconds(1), "inner");
            }

            await child.WaitAsync(TimeSpan.FromSeconds(5));
            return "done";
        }, "outer"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(NdeType, result.Error!.ErrorType);
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.ContextFailed);
        Assert.Equal(OperationStatus.Started, result.FindOperation("outer")!.Status);
    }

    [Fact]
    public async Task Inserting_an_operation_before_recorded_ones_is_detected_by_the_shifted_positions()
    {
        var invocations = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            if (invocations.Increment() > 1)
            {
                await ctx.WaitAsync(TimeSpan.FromSeconds(1), "inserted");
            }

            await ctx.StepAsync((_, _) => Task.FromResult(1), "a");
            await ctx.WaitAsync(TimeSpan.FromSeconds(5), "pause");
            return "done";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(NdeType, result.Error!.ErrorType);
    }
}
