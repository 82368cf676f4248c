using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using DurableGen.Execution;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableGen.Benchmarks;

/// <summary>
/// Cost of one invocation of a workflow that makes <see cref="N"/> steps, divided per step by the <c>ns/op</c> and
/// <c>B/op</c> columns (see <see cref="PerOperationColumn"/>).
/// <list type="bullet">
/// <item><see cref="Replay"/>: the envelope holds the EXECUTION record plus N SUCCEEDED step records, so every step
/// replays from its record and no checkpoint is written. The process has replayed it before (a warm sandbox), so ids
/// come from the memo; <see cref="ReplayUnmemoisedIds"/> hashes every id, as the first replay in a process does.</item>
/// <item><see cref="Fresh"/>: the envelope holds only the EXECUTION record, so every step runs its body and
/// checkpoints START and SUCCEED (one request: the body completes synchronously) against an in-memory client that answers at once.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private static readonly Func<IStepContext, CancellationToken, Task<int>> Body = static (step, _) => Task.FromResult(7);

    private static readonly LambdaContext Lambda = new("benchmark-request");

    private static readonly DurableExecutionOptions Options = new()
    {
        Serializer = new JsonDurableSerializer(BenchmarkJsonContext.Default),
        Logger = NullLogger.Instance,
    };

    private DurableExecutionInvocationInput _replayEnvelope = null!;
    private DurableExecutionInvocationInput _freshEnvelope = null!;
    private Func<string, IDurableContext, Task<int>> _workflow = null!;

    /// <summary>Steps in the workflow (and completed step records in the replayed history).</summary>
    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var count = N;
        _workflow = async (input, context) =>
        {
            var sum = 0;
            for (var i = 0; i < count; i++)
            {
                sum += await context.StepAsync(Body).ConfigureAwait(false);
            }

            return sum;
        };
        _replayEnvelope = Envelope(count);
        _freshEnvelope = Envelope(0);
    }

    /// <summary>N steps, all replayed from SUCCEEDED records.</summary>
    [Benchmark]
    public async Task<DurableExecutionInvocationOutput> Replay()
    {
        var output = await DurableFunction.WrapAsync(_workflow, _replayEnvelope, Lambda, ReplayOnlyClient.Instance, Options)
            .ConfigureAwait(false);
        return output.Status == InvocationStatus.Succeeded ? output : throw new InvalidOperationException(output.Error?.ErrorMessage);
    }

    /// <summary>
    /// <see cref="Replay"/> in a process that has not seen this execution: the id memo (<see cref="OperationIdCache"/>)
    /// is emptied first, so every id is hashed, as on a cold start or the first replay in a sandbox.
    /// </summary>
    [Benchmark]
    public async Task<DurableExecutionInvocationOutput> ReplayUnmemoisedIds()
    {
        OperationIdCache.Clear();
        return await Replay().ConfigureAwait(false);
    }

    /// <summary>N steps, each executed for the first time and checkpointed.</summary>
    [Benchmark]
    public async Task<DurableExecutionInvocationOutput> Fresh()
    {
        var output = await DurableFunction.WrapAsync(_workflow, _freshEnvelope, Lambda, new InMemoryClient(), Options)
            .ConfigureAwait(false);
        return output.Status == InvocationStatus.Succeeded ? output : throw new InvalidOperationException(output.Error?.ErrorMessage);
    }

    /// <summary>The EXECUTION record plus <paramref name="completedSteps"/> SUCCEEDED root steps with positional ids.</summary>
    internal static DurableExecutionInvocationInput Envelope(int completedSteps)
    {
        var operations = new List<Operation>(completedSteps + 1)
        {
            new()
            {
                Id = "execution", Type = OperationType.Execution, Status = OperationStatus.Started,
                ExecutionDetails = new ExecutionDetails { InputPayload = "\"input\"" },
            },
        };
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= completedSteps; i++)
        {
            operations.Add(new Operation
            {
                // The root context's i-th call: hex SHA-256 of "" + i.
                Id = OperationIdGenerator.Hash(i.ToString(CultureInfo.InvariantCulture)),
                Type = OperationType.Step,
                SubType = "Step",
                Status = OperationStatus.Succeeded,
                StartTimestamp = start,
                EndTimestamp = start,
                StepDetails = new StepDetails { Attempt = 1, Result = "7" },
            });
        }

        return new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:bench:$LATEST/durable-execution/bench/1",
            CheckpointToken = "token-0",
            InitialExecutionState = new InitialExecutionState { Operations = operations },
        };
    }
}

/// <summary>A service client for pure replay: a checkpoint would be a bug in the benchmark, so it fails loudly.</summary>
internal sealed class ReplayOnlyClient : IDurableServiceClient
{
    public static readonly ReplayOnlyClient Instance = new();

    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("A pure replay must not checkpoint.");

    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new GetDurableExecutionStateResponse());
}

/// <summary>A service client that accepts every checkpoint at once and hands out a new token.</summary>
internal sealed class InMemoryClient : IDurableServiceClient
{
    private int _requests;

    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new CheckpointDurableExecutionResponse
        {
            CheckpointToken = "token-" + Interlocked.Increment(ref _requests).ToString(CultureInfo.InvariantCulture),
        });

    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new GetDurableExecutionStateResponse());
}

[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext;
