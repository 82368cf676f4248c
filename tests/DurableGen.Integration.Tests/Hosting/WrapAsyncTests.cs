using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace DurableGen.Integration.Tests.Hosting;

public sealed class WrapAsyncTests
{
    [Fact]
    public async Task Void_workflow_succeeds_without_a_result()
    {
        var harness = new EngineHarness();
        var arn = harness.Start();
        var ran = 0;
        var invocation = harness.Begin();

        var output = await DurableFunction.WrapAsync<int>(async (_, ctx) =>
        {
            await ctx.StepAsync((_, _) => Task.CompletedTask, "s");
            ran++;
        }, invocation.Input, EngineHarness.Lambda(invocation), new EngineClient(harness.Engine), harness.Options);
        harness.Engine.CompleteInvocation(arn, invocation.RequestId, output);

        Assert.Equal(1, ran);
        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Null(output.Result);
        Assert.Null(output.Error);
        Assert.Equal(ExecutionStatus.Succeeded, harness.Engine.GetExecution(arn).Status);
        Assert.Null(harness.Engine.GetExecution(arn).Result);
    }

    [Fact]
    public async Task Null_result_gives_no_result()
    {
        var harness = new EngineHarness();
        harness.Start();

        var output = await harness.InvokeAsync<string?>((_, _) => Task.FromResult<string?>(null));

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Null(output.Result);
    }

    [Fact]
    public async Task Result_is_the_serialized_value_and_failure_is_the_error_object()
    {
        var harness = new EngineHarness();
        harness.Start();
        var ok = await harness.InvokeAsync((_, _) => Task.FromResult("text"));
        Assert.Equal("\"text\"", ok.Result);

        var failing = new EngineHarness();
        failing.Start();
        var failed = await failing.InvokeAsync<int>((_, _) => throw new TransientError("nope"));
        Assert.Equal(InvocationStatus.Failed, failed.Status);
        Assert.Null(failed.Result);
        Assert.Equal(typeof(TransientError).FullName, failed.Error!.ErrorType);
        Assert.Equal("nope", failed.Error.ErrorMessage);
    }

    [Fact]
    public async Task Result_over_6_MiB_minus_50_bytes_is_checkpointed_on_the_execution_and_returned_empty()
    {
        var harness = new EngineHarness();
        var arn = harness.Start();
        var big = new string('r', 6 * 1024 * 1024 - 50); // serialized: +2 quotes, just over the limit
        var client = new EngineClient(harness.Engine);

        var output = await harness.InvokeAsync((_, _) => Task.FromResult(big), client);

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Equal("", output.Result);
        var execution = harness.Engine.GetExecution(arn);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("\"" + big + "\"", execution.Result);
        var update = Assert.Single(client.Checkpoints.SelectMany(c => c.Updates!));
        Assert.Equal(OperationType.Execution, update.Type);
        Assert.Equal(OperationAction.Succeed, update.Action);
        Assert.Null(update.ParentId);
        Assert.Equal(64, update.Id.Length);
        var events = harness.Engine.GetHistoryEvents(arn);
        Assert.Single(events, e => e.EventType == EventType.ExecutionSucceeded);
        Assert.Equal(EventType.ExecutionSucceeded, events[^1].EventType);
    }

    [Fact]
    public async Task Result_of_exactly_6_MiB_minus_50_bytes_is_returned_inline()
    {
        var harness = new EngineHarness();
        var arn = harness.Start();
        var edge = new string('e', 6 * 1024 * 1024 - 52);
        var client = new EngineClient(harness.Engine);

        var output = await harness.InvokeAsync((_, _) => Task.FromResult(edge), client);

        Assert.Equal(6 * 1024 * 1024 - 50, output.Result!.Length);
        Assert.Empty(client.Checkpoints);
        Assert.Equal(output.Result, harness.Engine.GetExecution(arn).Result);
    }

    [Fact]
    public async Task Missing_serializer_throws_invalid_operation_with_guidance()
    {
        Assert.Null(DurableSerialization.Default);
        var harness = new EngineHarness();
        harness.Start();
        var invocation = harness.Begin();
        var client = new EngineClient(harness.Engine);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => DurableFunction.WrapAsync<int, int>(
            (_, _) => Task.FromResult(1), invocation.Input, EngineHarness.Lambda(invocation), client,
            new DurableExecutionOptions { Logger = NullLogger.Instance }));

        Assert.Contains("DurableSerialization.Register", ex.Message, StringComparison.Ordinal);
        Assert.Empty(client.Checkpoints);
    }

    public static IEnumerable<object[]> MalformedEnvelopes()
    {
        var execution = new Operation
        {
            Id = "exec", Type = OperationType.Execution, Status = OperationStatus.Started,
            ExecutionDetails = new ExecutionDetails { InputPayload = "1" },
        };
        yield return new object[] { "no-arn", new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "", CheckpointToken = "dG9r",
            InitialExecutionState = new InitialExecutionState { Operations = new[] { execution } },
        } };
        yield return new object[] { "no-token", new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:fn",
            InitialExecutionState = new InitialExecutionState { Operations = new[] { execution } },
        } };
        yield return new object[] { "no-execution-record", new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:fn", CheckpointToken = "dG9r",
            InitialExecutionState = new InitialExecutionState { Operations = Array.Empty<Operation>() },
        } };
        yield return new object[] { "no-state", new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:fn", CheckpointToken = "dG9r",
        } };
    }

    [Theory]
    [MemberData(nameof(MalformedEnvelopes))]
    public async Task Malformed_envelope_throws_durable_execution_exception(string label, DurableExecutionInvocationInput input)
    {
        var client = new RecordingClient();
        var ran = false;

        var ex = await Assert.ThrowsAsync<DurableExecutionException>(() => DurableFunction.WrapAsync<int, int>((_, _) =>
        {
            ran = true;
            return Task.FromResult(1);
        }, input, new LambdaContext("req"), client, new DurableExecutionOptions
        {
            Serializer = EngineHarness.Serializer, Logger = NullLogger.Instance,
        }));

        Assert.False(ran, label);
        Assert.Contains("Unexpected payload", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Checkpoints);
    }

    [Fact]
    public async Task State_beyond_the_first_envelope_page_is_loaded_from_every_page()
    {
        var harness = new EngineHarness(new EngineOptions { EnvelopeMaxOperations = 3 });
        var arn = harness.Start();
        var bodyRuns = new Counter();
        async Task<int> Workflow(int _, IDurableContext ctx)
        {
            var sum = 0;
            for (var i = 1; i <= 8; i++)
            {
                var n = i;
                sum += await ctx.StepAsync((_, _) => { bodyRuns.Increment(); return Task.FromResult(n); }, $"s{n}");
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(1), "pause");
            return sum;
        }

        Assert.Equal(InvocationStatus.Pending, (await harness.InvokeAsync<int>(Workflow)).Status);
        harness.SkipToNextTimer();
        var invocation = harness.Begin();
        Assert.Equal(3, invocation.Input.InitialExecutionState!.Operations!.Count);
        Assert.False(string.IsNullOrEmpty(invocation.Input.InitialExecutionState.NextMarker));
        var client = new EngineClient(harness.Engine);

        var output = await DurableFunction.WrapAsync<int, int>(Workflow, invocation.Input, EngineHarness.Lambda(invocation),
            client, harness.Options);

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Equal("36", output.Result);
        Assert.Equal(8, bodyRuns.Value);
        Assert.NotEmpty(client.StateRequests);
        Assert.All(client.StateRequests, r => Assert.Equal(invocation.Input.CheckpointToken, r.CheckpointToken));
        Assert.Equal(invocation.Input.InitialExecutionState.NextMarker, client.StateRequests[0].Marker);
        Assert.Empty(client.Checkpoints); // everything replayed
        harness.Engine.CompleteInvocation(arn, invocation.RequestId, output);
        Assert.Equal(ExecutionStatus.Succeeded, harness.Engine.GetExecution(arn).Status);
    }

    [Fact]
    public async Task Paging_follows_every_marker_the_client_returns()
    {
        var execution = new Operation
        {
            Id = "exec", Type = OperationType.Execution, Status = OperationStatus.Started,
            ExecutionDetails = new ExecutionDetails { InputPayload = "0" },
        };
        Operation Step(int n) => new()
        {
            Id = H.RootId(n), Type = OperationType.Step, SubType = "Step", Status = OperationStatus.Succeeded,
            StepDetails = new StepDetails { Result = n.ToString(System.Globalization.CultureInfo.InvariantCulture), Attempt = 1 },
        };
        var client = new PagedClient(new Dictionary<string, (Operation[] Ops, string? Next)>
        {
            ["m1"] = (new[] { Step(2) }, "m2"),
            ["m2"] = (new[] { Step(3) }, ""),
        });
        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:fn", CheckpointToken = "dG9rZW4=",
            InitialExecutionState = new InitialExecutionState { Operations = new[] { execution, Step(1) }, NextMarker = "m1" },
        };
        var bodyRuns = 0;

        var output = await DurableFunction.WrapAsync<int, int>(async (_, ctx) =>
        {
            var sum = 0;
            for (var i = 0; i < 3; i++)
            {
                sum += await ctx.StepAsync((_, _) => { bodyRuns++; return Task.FromResult(100); });
            }

            return sum;
        }, input, new LambdaContext("req"), client, new DurableExecutionOptions
        {
            Serializer = EngineHarness.Serializer, Logger = NullLogger.Instance,
        });

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Equal("6", output.Result);
        Assert.Equal(0, bodyRuns);
        Assert.Equal(new[] { "m1", "m2" }, client.Markers.ToArray());
    }

    [Fact]
    public async Task A_failing_state_page_makes_WrapAsync_throw()
    {
        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:fn", CheckpointToken = "dG9rZW4=",
            InitialExecutionState = new InitialExecutionState { Operations = Array.Empty<Operation>(), NextMarker = "bad" },
        };

        var ex = await Assert.ThrowsAsync<DurableExecutionException>(() => DurableFunction.WrapAsync<int, int>(
            (_, _) => Task.FromResult(1), input, new LambdaContext("req"), new PagedClient(new()),
            new DurableExecutionOptions { Serializer = EngineHarness.Serializer, Logger = NullLogger.Instance }));

        Assert.IsType<DurableServiceException>(ex.InnerException);
    }

    private class RecordingClient : IDurableServiceClient
    {
        public int Checkpoints { get; private set; }

        public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
            CancellationToken cancellationToken = default)
        {
            Checkpoints++;
            return Task.FromResult(new CheckpointDurableExecutionResponse { CheckpointToken = "dG9rZW4y" });
        }

        public virtual Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
            CancellationToken cancellationToken = default) =>
            Task.FromException<GetDurableExecutionStateResponse>(new InvalidOperationException("unexpected"));
    }

    private sealed class PagedClient(Dictionary<string, (Operation[] Ops, string? Next)> pages) : RecordingClient
    {
        public List<string> Markers { get; } = new();

        public override Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
            CancellationToken cancellationToken = default)
        {
            Markers.Add(request.Marker!);
            return pages.TryGetValue(request.Marker!, out var page)
                ? Task.FromResult(new GetDurableExecutionStateResponse { Operations = page.Ops, NextMarker = page.Next })
                : Task.FromException<GetDurableExecutionStateResponse>(DurableServiceException.InvalidParameter("bad marker"));
        }
    }
}
