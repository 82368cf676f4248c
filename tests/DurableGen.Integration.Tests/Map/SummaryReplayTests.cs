using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace DurableGen.Integration.Tests.Map;

/// <summary>
/// Replay of a SUCCEEDED map from hand-built histories (semantics §4.8 "Replay of the parent"): the summary wins over
/// unpruned unit records, garbage in the summary degrades to the unit records, and nothing runs or is checkpointed.
/// </summary>
public sealed class SummaryReplayTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/durable-execution/x/1";
    private static readonly string MapId = H.Root1;

    private static Operation Unit(int index, OperationStatus status, string? result = null, ErrorObject? error = null) => new()
    {
        Id = H.Sha($"{MapId}-{index + 1}"), ParentId = MapId, Name = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Type = OperationType.Context, SubType = "MapIteration", Status = status,
        ContextDetails = new ContextDetails { Result = result, Error = error },
    };

    private static async Task<(string Output, int Bodies, int Checkpoints)> Replay(string? summary, params Operation[] units)
    {
        var operations = new List<Operation>
        {
            new()
            {
                Id = "exec", Type = OperationType.Execution, Status = OperationStatus.Started,
                ExecutionDetails = new ExecutionDetails { InputPayload = "0" },
            },
            new()
            {
                Id = MapId, Name = "m", Type = OperationType.Context, SubType = "Map", Status = OperationStatus.Succeeded,
                ContextDetails = new ContextDetails { Result = summary },
            },
        };
        operations.AddRange(units);
        var bodies = 0;
        var client = new RecordingClient();
        var output = await DurableFunction.WrapAsync<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 10, 20, 30 }, (_, item, _, _, _) =>
            {
                Interlocked.Increment(ref bodies);
                return Task.FromResult(item);
            }, "m");
            return $"{batch.CompletionReason} " + string.Join(" ", batch.All.Select(i =>
                $"{i.Index}:{i.Status}:{i.Result}:{(i.Error as ChildContextException)?.ErrorType}/{i.Error?.Message}"));
        }, new DurableExecutionInvocationInput
        {
            DurableExecutionArn = Arn, CheckpointToken = "t0",
            InitialExecutionState = new InitialExecutionState { Operations = operations },
        }, new LambdaContext("r1"), client, new DurableExecutionOptions { Serializer = EngineHarness.Serializer, Logger = NullLogger.Instance });
        Assert.True(output.Status == InvocationStatus.Succeeded, $"{output.Status}: {output.Error?.ErrorType} {output.Error?.ErrorMessage}");
        return (EngineHarness.Serializer.Deserialize<string>(output.Result)!, bodies, client.Checkpoints);
    }

    [Fact]
    public async Task Summary_wins_over_unpruned_unit_records()
    {
        var summary = """{"CompletionReason":"ALL_COMPLETED","Units":[{"Index":0,"Name":"0","Status":"SUCCEEDED","Result":"7"},{"Index":1,"Name":"1","Status":"FAILED","Error":{"ErrorType":"X.Bad","ErrorMessage":"from summary"}},{"Index":2,"Name":"2","Status":"SUCCEEDED","Result":"9"}]}""";

        var (output, bodies, checkpoints) = await Replay(summary,
            Unit(0, OperationStatus.Succeeded, "5"), Unit(1, OperationStatus.Succeeded, "6"), Unit(2, OperationStatus.Succeeded, "8"));

        Assert.Equal("AllCompleted 0:Succeeded:7:/ 1:Failed:0:X.Bad/from summary 2:Succeeded:9:/", output);
        Assert.Equal(0, bodies);
        Assert.Equal(0, checkpoints);
    }

    [Fact]
    public async Task Unreadable_summary_falls_back_to_unit_records_and_recomputes_the_reason()
    {
        var (output, bodies, checkpoints) = await Replay("{not json",
            Unit(0, OperationStatus.Succeeded, "5"),
            Unit(1, OperationStatus.Failed, error: new ErrorObject { ErrorType = "X.Bad", ErrorMessage = "from record" }));

        // Unit 2 has no record: it is left out; one failure under the default fail-fast policy.
        Assert.Equal("FailureToleranceExceeded 0:Succeeded:5:/ 1:Failed:0:X.Bad/from record", output);
        Assert.Equal(0, bodies);
        Assert.Equal(0, checkpoints);
    }

    [Fact]
    public async Task Unknown_statuses_read_as_started_and_unknown_reasons_as_all_completed()
    {
        var summary = """{"CompletionReason":"SOMETHING_NEW","Units":[{"Index":0,"Name":"0","Status":"SUCCEEDED","Result":"1"},{"Index":1,"Name":"1","Status":"PAUSED"},{"Index":2,"Name":"2","Status":"PAUSED"}]}""";

        var (output, bodies, _) = await Replay(summary, Unit(1, OperationStatus.Started));

        // Unit 1 has a record, so it was dispatched; unit 2 has none and is left out.
        Assert.Equal("AllCompleted 0:Succeeded:1:/ 1:Started:0:/", output);
        Assert.Equal(0, bodies);
    }

    [Fact]
    public async Task Failed_unit_without_an_error_message_gets_the_default()
    {
        var summary = """{"CompletionReason":"FAILURE_TOLERANCE_EXCEEDED","Units":[{"Index":0,"Name":"0","Status":"FAILED"},{"Index":1,"Name":"1","Status":"STARTED"},{"Index":2,"Name":"2","Status":"STARTED"}]}""";

        var (output, _, _) = await Replay(summary);

        Assert.Equal("FailureToleranceExceeded 0:Failed:0:/Unit failed", output);
    }

    private sealed class RecordingClient : IDurableServiceClient
    {
        private int _checkpoints;

        public int Checkpoints => Volatile.Read(ref _checkpoints);

        public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
            CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _checkpoints);
            return Task.FromResult(new CheckpointDurableExecutionResponse { CheckpointToken = "t" + Checkpoints });
        }

        public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
            CancellationToken cancellationToken = default) => Task.FromResult(new GetDurableExecutionStateResponse());
    }
}
