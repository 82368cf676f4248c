using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DurableGen.Integration.Tests.WaitForCondition;

/// <summary>The "entry by record status" table of semantics §4.7, driven by hand-built records.</summary>
public sealed class WaitForConditionReplayTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/durable-execution/x/1";

    private sealed record Run(DurableExecutionInvocationOutput Output, List<(int State, int Attempt)> Checks,
        List<OperationUpdate> Updates, List<string> Warnings);

    private static async Task<Run> Replay(Operation record, Func<int, int, WaitDecision>? strategy = null)
    {
        record.Id = H.Root1;
        record.Name = "poll";
        record.Type = OperationType.Step;
        record.SubType = "WaitForCondition";
        var checks = new List<(int, int)>();
        var client = new RecordingClient();
        var logger = new ListLogger();
        var output = await DurableFunction.WrapAsync<int, string>(async (_, ctx) =>
        {
            try
            {
                var state = await ctx.WaitForConditionAsync<int>((s, check, _) =>
                {
                    checks.Add((s, check.AttemptNumber));
                    return Task.FromResult(s + 1);
                }, new WaitForConditionConfig<int>
                {
                    InitialState = 100,
                    WaitStrategy = WaitStrategy.FromDelegate(strategy ?? ((_, _) => WaitDecision.Stop())),
                }, "poll");
                return "state " + state;
            }
            catch (WaitForConditionException ex)
            {
                return $"exhausted {ex.AttemptsExhausted} {ex.LastState ?? "null"} {ex.Message}";
            }
            catch (StepException ex)
            {
                return $"step {ex.ErrorType} {ex.Message}";
            }
        }, new DurableExecutionInvocationInput
        {
            DurableExecutionArn = Arn, CheckpointToken = "t0",
            InitialExecutionState = new InitialExecutionState
            {
                Operations = new List<Operation>
                {
                    new()
                    {
                        Id = "exec", Type = OperationType.Execution, Status = OperationStatus.Started,
                        ExecutionDetails = new ExecutionDetails { InputPayload = "0" },
                    },
                    record,
                },
            },
        }, new LambdaContext("r1"), client, new DurableExecutionOptions { Serializer = EngineHarness.Serializer, Logger = logger });
        return new Run(output, checks, client.Updates.ToList(), logger.Warnings.ToList());
    }

    private static string? Result(Run run) => EngineHarness.Serializer.Deserialize<string>(run.Output.Result);

    [Fact]
    public async Task Pending_retry_not_yet_due_suspends_without_an_update()
    {
        var run = await Replay(new Operation
        {
            Status = OperationStatus.Pending,
            StepDetails = new StepDetails { Attempt = 1, Result = "5", NextAttemptTimestamp = DateTimeOffset.UtcNow.AddHours(1) },
        });

        Assert.Equal(InvocationStatus.Pending, run.Output.Status);
        Assert.Empty(run.Checks);
        Assert.Empty(run.Updates);
    }

    [Theory]
    [InlineData(OperationStatus.Pending)]
    [InlineData(OperationStatus.Ready)]
    public async Task Due_retry_polls_the_checkpointed_state_as_the_next_attempt_with_a_new_start(OperationStatus status)
    {
        var run = await Replay(new Operation
        {
            Status = status,
            StepDetails = new StepDetails { Attempt = 2, Result = "5", NextAttemptTimestamp = DateTimeOffset.UtcNow.AddHours(-1) },
        });

        Assert.Equal("state 6", Result(run));
        Assert.Equal(new[] { (5, 3) }, run.Checks);
        Assert.Equal(new[] { OperationAction.Start, OperationAction.Succeed }, run.Updates.Select(u => u.Action));
        Assert.Equal("6", run.Updates[1].Payload);
    }

    [Fact]
    public async Task Started_record_resumes_from_its_state_without_a_new_start()
    {
        var run = await Replay(new Operation
        {
            Status = OperationStatus.Started, StepDetails = new StepDetails { Attempt = 3, Result = "40" },
        }, (_, attempt) => attempt < 5 ? WaitDecision.ContinueAfter(TimeSpan.FromSeconds(2)) : WaitDecision.Stop());

        Assert.Equal(InvocationStatus.Pending, run.Output.Status);
        Assert.Equal(new[] { (40, 4) }, run.Checks);
        var retry = Assert.Single(run.Updates);
        Assert.Equal(OperationAction.Retry, retry.Action);
        Assert.Equal("41", retry.Payload);
        Assert.Equal(2, retry.StepOptions!.NextAttemptDelaySeconds);
    }

    [Fact]
    public async Task Unreadable_checkpointed_state_restarts_from_the_initial_state_with_a_warning()
    {
        var run = await Replay(new Operation
        {
            Status = OperationStatus.Ready, StepDetails = new StepDetails { Attempt = 1, Result = "{garbage" },
        });

        Assert.Equal("state 101", Result(run));
        Assert.Equal(new[] { (100, 2) }, run.Checks);
        Assert.Contains(run.Warnings, w => w.Contains("poll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failed_by_exhaustion_rethrows_with_the_recorded_attempts_and_a_null_state_when_unreadable()
    {
        var run = await Replay(new Operation
        {
            Status = OperationStatus.Failed,
            StepDetails = new StepDetails
            {
                Attempt = 7,
                Error = new ErrorObject
                {
                    ErrorType = typeof(WaitForConditionException).FullName, ErrorMessage = "gave up", ErrorData = "not-an-int",
                },
            },
        });

        Assert.Equal("exhausted 7 null gave up", Result(run));
        Assert.Empty(run.Checks);
        Assert.Empty(run.Updates);
    }

    [Fact]
    public async Task Failed_check_rethrows_a_step_exception_of_the_recorded_type()
    {
        var run = await Replay(new Operation
        {
            Status = OperationStatus.Failed,
            StepDetails = new StepDetails { Attempt = 1, Error = new ErrorObject { ErrorType = "Sensors.Offline", ErrorMessage = "down" } },
        });

        Assert.Equal("step Sensors.Offline down", Result(run));
    }

    [Fact]
    public async Task Succeeded_record_without_a_result_returns_the_default()
    {
        var run = await Replay(new Operation { Status = OperationStatus.Succeeded, StepDetails = new StepDetails { Attempt = 2 } });

        Assert.Equal("state 0", Result(run));
        Assert.Empty(run.Checks);
    }

    private sealed class RecordingClient : IDurableServiceClient
    {
        public ConcurrentQueue<OperationUpdate> Updates { get; } = new();

        public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
            CancellationToken cancellationToken = default)
        {
            foreach (var update in request.Updates ?? Array.Empty<OperationUpdate>())
            {
                Updates.Enqueue(update);
            }

            return Task.FromResult(new CheckpointDurableExecutionResponse { CheckpointToken = "t" + Updates.Count });
        }

        public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
            CancellationToken cancellationToken = default) => Task.FromResult(new GetDurableExecutionStateResponse());
    }

    private sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
