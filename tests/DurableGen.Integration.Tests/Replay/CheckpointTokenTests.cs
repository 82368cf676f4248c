using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Integration.Tests.Replay;

/// <summary>How checkpoint failures end an invocation: stale tokens and transient errors are retried, 4xx fail.</summary>
public sealed class CheckpointTokenTests
{
    private static async Task<int> TwoSteps(int _, IDurableContext ctx)
    {
        var a = await ctx.StepAsync((_, _) => Task.FromResult(1), "a",
            new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry });
        var b = await ctx.StepAsync((_, _) => Task.FromResult(2), "b",
            new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry });
        return a + b;
    }

    [Fact]
    public async Task Reusing_a_consumed_token_is_rejected_and_WrapAsync_throws_so_Lambda_retries()
    {
        var harness = new EngineHarness();
        var arn = harness.Start();
        string? firstToken = null;
        var client = new EngineClient(harness.Engine)
        {
            Rewrite = (n, request) =>
            {
                firstToken ??= request.CheckpointToken;
                if (n == 2)
                {
                    request.CheckpointToken = firstToken;
                }

                return request;
            },
        };

        var ex = await Assert.ThrowsAsync<DurableExecutionException>(() => harness.InvokeAsync<int>(TwoSteps, client));

        var service = Assert.IsType<DurableServiceException>(ex.InnerException);
        Assert.Equal(ErrorCodes.InvalidParameterValue, service.ErrorCode);
        Assert.Equal(400, service.StatusCode);
        Assert.StartsWith("Invalid Checkpoint Token", service.Message, StringComparison.Ordinal);
        Assert.True(service.IsStaleCheckpointToken);
        Assert.False(service.IsTerminal);

        // The execution is not failed: the next invocation, with a fresh token, carries on. Step "a" is at-most-once
        // and its START was durable, so that invocation treats the lost attempt as interrupted and schedules a retry.
        Assert.Equal(ExecutionStatus.Running, harness.Engine.GetExecution(arn).Status);
        Assert.Equal(InvocationStatus.Pending, (await harness.InvokeAsync<int>(TwoSteps)).Status);
        harness.SkipToNextTimer();
        var output = await harness.InvokeAsync<int>(TwoSteps);
        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Equal("3", output.Result);
        Assert.Equal(ExecutionStatus.Succeeded, harness.Engine.GetExecution(arn).Status);
    }

    [Fact]
    public async Task A_token_from_an_earlier_invocation_is_rejected_and_WrapAsync_throws()
    {
        var harness = new EngineHarness();
        var arn = harness.Start();
        static async Task<int> Workflow(int _, IDurableContext ctx)
        {
            var v = await ctx.StepAsync((_, _) => Task.FromResult(5), "s");
            await ctx.WaitAsync(TimeSpan.FromSeconds(10), "w");
            return v;
        }

        var first = harness.Begin();
        var output1 = await DurableFunction.WrapAsync<int, int>(Workflow, first.Input, EngineHarness.Lambda(first),
            new EngineClient(harness.Engine), harness.Options);
        Assert.Equal(InvocationStatus.Pending, output1.Status);
        harness.Engine.CompleteInvocation(arn, first.RequestId, output1);
        var eventsBefore = harness.Engine.GetHistoryEvents(arn).Count;

        harness.SkipToNextTimer();
        var second = harness.Begin();

        // A duplicate delivery of the first invocation's event, with its consumed token, while the second runs.
        var stale = await Assert.ThrowsAsync<DurableExecutionException>(() => DurableFunction.WrapAsync<int, int>(Workflow,
            first.Input, EngineHarness.Lambda(first), new EngineClient(harness.Engine), harness.Options));
        Assert.True(Assert.IsType<DurableServiceException>(stale.InnerException).IsStaleCheckpointToken);
        Assert.Equal(eventsBefore + 1, harness.Engine.GetHistoryEvents(arn).Count); // only WaitSucceeded was added

        var output2 = await DurableFunction.WrapAsync<int, int>(Workflow, second.Input, EngineHarness.Lambda(second),
            new EngineClient(harness.Engine), harness.Options);
        Assert.Equal(InvocationStatus.Succeeded, output2.Status);
        Assert.Equal("5", output2.Result);
    }

    [Fact]
    public async Task A_terminal_4xx_rejection_answers_FAILED_with_the_error_code()
    {
        var harness = new EngineHarness();
        var arn = harness.Start();
        var client = new EngineClient(harness.Engine)
        {
            // Corrupt the update: a parent that does not exist.
            Rewrite = (_, request) =>
            {
                foreach (var update in request.Updates!)
                {
                    update.ParentId = "no-such-context";
                }

                return request;
            },
        };

        var output = await harness.InvokeAsync<int>(TwoSteps, client);

        Assert.Equal(InvocationStatus.Failed, output.Status);
        Assert.Equal(ErrorCodes.InvalidParameterValue, output.Error!.ErrorType);
        Assert.Contains("parent", output.Error.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ExecutionStatus.Failed, harness.Engine.GetExecution(arn).Status);
        Assert.DoesNotContain(harness.Engine.GetHistoryEvents(arn), e => e.EventType == EventType.StepStarted);
    }

    [Theory]
    [InlineData(ErrorCodes.TooManyRequests, 429)]
    [InlineData(ErrorCodes.Service, 500)]
    public async Task Throttling_and_service_faults_make_WrapAsync_throw(string code, int status)
    {
        var harness = new EngineHarness();
        harness.Start();
        var client = new FailingClient(harness.Engine, new DurableServiceException(code, status, "try later"));

        var ex = await Assert.ThrowsAsync<DurableExecutionException>(() => harness.InvokeAsync<int>(TwoSteps, client));

        Assert.Same(client.Error, ex.InnerException);
    }

    [Fact]
    public async Task User_code_does_not_run_on_after_a_checkpoint_failed()
    {
        var harness = new EngineHarness();
        harness.Start();
        var afterFirst = 0;
        var stepSettled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new FailingClient(harness.Engine, new DurableServiceException(ErrorCodes.Service, 500, "down"));

        await Assert.ThrowsAsync<DurableExecutionException>(() => harness.InvokeAsync<int>(async (_, ctx) =>
        {
            try
            {
                await ctx.StepAsync((_, _) => Task.FromResult(1), "a", new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry });
                Interlocked.Increment(ref afterFirst);
            }
            finally
            {
                stepSettled.TrySetResult();
            }

            return 1;
        }, client));

        // Wait until the failed step call has settled in the abandoned workflow, then check nothing after it ran.
        await stepSettled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, Volatile.Read(ref afterFirst));
    }

    private sealed class FailingClient(Emulator.Engine.DurableExecutionEngine engine, DurableServiceException error) : EngineClient(engine)
    {
        public DurableServiceException Error => error;

        public override Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
            CancellationToken cancellationToken = default) => Task.FromException<CheckpointDurableExecutionResponse>(error);
    }
}
