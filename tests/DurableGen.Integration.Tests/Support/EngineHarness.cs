using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableGen.Integration.Tests.Support;

[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(object))]
internal sealed partial class HarnessJson : JsonSerializerContext;

/// <summary>
/// Drives the engine by hand, so a test can call <see cref="DurableFunction.WrapAsync{TInput, TOutput}"/> itself with
/// an envelope and a service client of its choosing.
/// </summary>
internal sealed class EngineHarness
{
    public EngineHarness(EngineOptions? options = null)
    {
        Clock = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Engine = new DurableExecutionEngine(new InMemoryExecutionStore(), Clock, options);
    }

    public static IDurableSerializer Serializer { get; } = new JsonDurableSerializer(HarnessJson.Default);

    public VirtualClock Clock { get; }

    public DurableExecutionEngine Engine { get; }

    public DurableExecutionOptions Options => new()
    {
        Serializer = Serializer, TimeProvider = Clock, Logger = NullLogger.Instance,
    };

    public string Start(string payload = "0") =>
        Engine.StartExecution(new StartExecutionRequest { FunctionName = "fn", Payload = payload }).DurableExecutionArn;

    public PendingInvocation Begin() => Engine.TryBeginInvocation()
        ?? throw new InvalidOperationException("Nothing is runnable.");

    /// <summary>Moves time to the next due timer and fires it.</summary>
    public void SkipToNextTimer()
    {
        if (Engine.NextDueTime is { } due)
        {
            Clock.SetUtcNow(due);
        }

        Engine.FireDueTimers();
    }

    public static LambdaContext Lambda(PendingInvocation invocation) => new(invocation.RequestId);

    /// <summary>Runs one invocation through WrapAsync with <paramref name="client"/> and reports its output.</summary>
    public async Task<DurableExecutionInvocationOutput> InvokeAsync<TOut>(Func<int, IDurableContext, Task<TOut>> workflow,
        IDurableServiceClient? client = null)
    {
        var invocation = Begin();
        try
        {
            var output = await DurableFunction.WrapAsync(workflow, invocation.Input, Lambda(invocation),
                client ?? new EngineClient(Engine), Options);
            Engine.CompleteInvocation(invocation.DurableExecutionArn, invocation.RequestId, output);
            return output;
        }
        catch (Exception ex)
        {
            Engine.FailInvocation(invocation.DurableExecutionArn, invocation.RequestId,
                new ErrorObject { ErrorType = ex.GetType().FullName, ErrorMessage = ex.Message });
            throw;
        }
    }
}

/// <summary>A service client straight onto the engine, with hooks to tamper with or observe requests.</summary>
internal class EngineClient(DurableExecutionEngine engine) : IDurableServiceClient
{
    public List<CheckpointDurableExecutionRequest> Checkpoints { get; } = new();

    public List<GetDurableExecutionStateRequest> StateRequests { get; } = new();

    /// <summary>Rewrites a request before it is sent (argument: 1-based request number).</summary>
    public Func<int, CheckpointDurableExecutionRequest, CheckpointDurableExecutionRequest>? Rewrite { get; init; }

    public virtual Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default)
    {
        lock (Checkpoints)
        {
            Checkpoints.Add(request);
            request = Rewrite?.Invoke(Checkpoints.Count, request) ?? request;
        }

        try
        {
            return Task.FromResult(engine.Checkpoint(request));
        }
        catch (DurableServiceException ex)
        {
            return Task.FromException<CheckpointDurableExecutionResponse>(ex);
        }
    }

    public virtual Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default)
    {
        lock (StateRequests)
        {
            StateRequests.Add(request);
        }

        try
        {
            return Task.FromResult(engine.GetExecutionState(request));
        }
        catch (DurableServiceException ex)
        {
            return Task.FromException<GetDurableExecutionStateResponse>(ex);
        }
    }
}
