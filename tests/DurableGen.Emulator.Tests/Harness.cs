using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>An engine on a virtual clock, driven with requests and responses round-tripped through the real wire
/// serializers (REST channel for the APIs, envelope channel for invocations).</summary>
internal sealed class Harness
{
    private int _ids;

    /// <param name="options">The engine's options (ids are the harness's own).</param>
    /// <param name="engineClock">What the engine reads instead of <see cref="Clock"/> itself: a view of it (a test that
    /// moves time as the engine reads it).</param>
    public Harness(EngineOptions? options = null, Func<VirtualClock, TimeProvider>? engineClock = null)
    {
        Clock = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        options ??= new EngineOptions();
        options.IdFactory = () => "id-" + (++_ids);
        Engine = new DurableExecutionEngine(new InMemoryExecutionStore(), engineClock?.Invoke(Clock) ?? Clock, options);
    }

    public VirtualClock Clock { get; }

    public DurableExecutionEngine Engine { get; }

    public string Start(string? payload = "{\"orderId\":42}", string? name = null, int? timeoutSeconds = null,
        string function = "order-flow") =>
        Engine.StartExecution(new StartExecutionRequest
        {
            FunctionName = function,
            ExecutionName = name,
            Payload = payload,
            ExecutionTimeoutSeconds = timeoutSeconds,
        }).DurableExecutionArn;

    /// <summary>Starts an execution and begins its first invocation.</summary>
    public Invocation StartAndBegin(int? timeoutSeconds = null)
    {
        var arn = Start(timeoutSeconds: timeoutSeconds);
        var invocation = Begin();
        Assert.Equal(arn, invocation.Arn);
        return invocation;
    }

    public Invocation Begin()
    {
        var pending = Engine.TryBeginInvocation();
        Assert.NotNull(pending);
        var json = JsonSerializer.Serialize(pending.Input, ProtocolJson.Envelope.DurableExecutionInvocationInput);
        var input = JsonSerializer.Deserialize(json, ProtocolJson.Envelope.DurableExecutionInvocationInput)!;
        return new Invocation(this, pending.DurableExecutionArn, pending.RequestId, input, json);
    }

    public CheckpointDurableExecutionResponse Checkpoint(string arn, string token, IReadOnlyList<OperationUpdate>? updates,
        string? clientToken = null)
    {
        var request = new CheckpointDurableExecutionRequest { CheckpointToken = token, Updates = updates, ClientToken = clientToken };
        return CheckpointRaw(arn, JsonSerializer.Serialize(request, ProtocolJson.Rest.CheckpointDurableExecutionRequest));
    }

    /// <summary>Sends a checkpoint body given as raw JSON (the ARN travels in the path).</summary>
    public CheckpointDurableExecutionResponse CheckpointRaw(string arn, string body)
    {
        var request = JsonSerializer.Deserialize(body, ProtocolJson.Rest.CheckpointDurableExecutionRequest)!;
        request.DurableExecutionArn = arn;
        var response = Engine.Checkpoint(request);
        var json = JsonSerializer.Serialize(response, ProtocolJson.Rest.CheckpointDurableExecutionResponse);
        return JsonSerializer.Deserialize(json, ProtocolJson.Rest.CheckpointDurableExecutionResponse)!;
    }

    public GetDurableExecutionStateResponse State(string arn, string token, string? marker = null, int? maxItems = null)
    {
        var response = Engine.GetExecutionState(new GetDurableExecutionStateRequest
        {
            DurableExecutionArn = arn, CheckpointToken = token, Marker = marker, MaxItems = maxItems,
        });
        var json = JsonSerializer.Serialize(response, ProtocolJson.Rest.GetDurableExecutionStateResponse);
        return JsonSerializer.Deserialize(json, ProtocolJson.Rest.GetDurableExecutionStateResponse)!;
    }

    public GetDurableExecutionResponse Describe(string arn)
    {
        var json = JsonSerializer.Serialize(Engine.GetExecution(arn), ProtocolJson.Rest.GetDurableExecutionResponse);
        return JsonSerializer.Deserialize(json, ProtocolJson.Rest.GetDurableExecutionResponse)!;
    }

    /// <summary>The whole history (every page, merged) as the JSON of one <c>GetDurableExecutionHistory</c> response.</summary>
    public string HistoryJson(string arn, bool includeExecutionData = true)
    {
        var events = new List<Event>();
        string? marker = null;
        do
        {
            var page = Engine.GetExecutionHistory(arn, marker, 1000, includeExecutionData: includeExecutionData);
            events.AddRange(page.Events);
            marker = page.NextMarker;
        }
        while (marker is not null);

        return JsonSerializer.Serialize(new GetDurableExecutionHistoryResponse { Events = events },
            ProtocolJson.Rest.GetDurableExecutionHistoryResponse);
    }

    public List<Event> History(string arn) =>
        JsonSerializer.Deserialize(HistoryJson(arn), ProtocolJson.Rest.GetDurableExecutionHistoryResponse)!.Events.ToList();

    public List<EventType> EventTypes(string arn) => History(arn).Select(e => e.EventType).ToList();

    public Operation Operation(string arn, string id) => Engine.GetOperations(arn).Single(o => o.Id == id);

    public void Advance(int seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));

    public static DurableServiceException Rejects(Action action, string errorCode = ErrorCodes.InvalidParameterValue)
    {
        var exception = Assert.Throws<DurableServiceException>(action);
        Assert.Equal(errorCode, exception.ErrorCode);
        return exception;
    }
}

/// <summary>One invocation as the function sees it: the envelope and the current checkpoint token.</summary>
internal sealed class Invocation
{
    private readonly Harness _harness;

    public Invocation(Harness harness, string arn, string requestId, DurableExecutionInvocationInput input, string json)
    {
        _harness = harness;
        Arn = arn;
        RequestId = requestId;
        Input = input;
        EnvelopeJson = json;
        Token = input.CheckpointToken!;
    }

    public string Arn { get; }

    public string RequestId { get; }

    public DurableExecutionInvocationInput Input { get; }

    public string EnvelopeJson { get; }

    public string Token { get; private set; }

    public CheckpointDurableExecutionResponse Checkpoint(params OperationUpdate[] updates) => CheckpointWith(null, updates);

    public CheckpointDurableExecutionResponse CheckpointWith(string? clientToken, params OperationUpdate[] updates)
    {
        var response = _harness.Checkpoint(Arn, Token, updates, clientToken);
        Assert.False(string.IsNullOrEmpty(response.CheckpointToken));
        Token = response.CheckpointToken!;
        return response;
    }

    public void Complete(InvocationStatus status, string? result = null, ErrorObject? error = null)
    {
        var output = new DurableExecutionInvocationOutput { Status = status, Result = result, Error = error };
        var json = JsonSerializer.Serialize(output, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
        _harness.Engine.CompleteInvocation(Arn, RequestId,
            JsonSerializer.Deserialize(json, ProtocolJson.Envelope.DurableExecutionInvocationOutput)!);
    }

    public void Crash(string message = "process exited") =>
        _harness.Engine.FailInvocation(Arn, RequestId, new ErrorObject { ErrorType = "Runtime.ExitError", ErrorMessage = message });
}

/// <summary>Builders for operation updates.</summary>
internal static class U
{
    public static OperationUpdate StepStart(string id, string? name = "step", string? parentId = null) =>
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Start, Name = name, ParentId = parentId };

    public static OperationUpdate StepSucceed(string id, string? payload, string? name = "step", string? parentId = null) =>
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed, Name = name, Payload = payload, ParentId = parentId };

    public static OperationUpdate StepFail(string id, ErrorObject error, string? name = "step") =>
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Fail, Name = name, Error = error };

    public static OperationUpdate StepRetry(string id, int delay, ErrorObject? error = null, string? payload = null, string? name = "step") =>
        new()
        {
            Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Retry, Name = name, Error = error,
            Payload = payload, StepOptions = new StepOptions { NextAttemptDelaySeconds = delay },
        };

    public static OperationUpdate WaitStart(string id, int seconds, string? name = "wait") =>
        new() { Id = id, Type = OperationType.Wait, SubType = "Wait", Action = OperationAction.Start, Name = name, WaitOptions = new WaitOptions { WaitSeconds = seconds } };

    public static OperationUpdate CallbackStart(string id, int? timeout = null, int? heartbeat = null, string? name = "cb") =>
        new()
        {
            Id = id, Type = OperationType.Callback, SubType = "Callback", Action = OperationAction.Start, Name = name,
            CallbackOptions = timeout is null && heartbeat is null ? null : new CallbackOptions { TimeoutSeconds = timeout, HeartbeatTimeoutSeconds = heartbeat },
        };

    public static OperationUpdate ContextStart(string id, string? parentId = null, bool? replayChildren = null) =>
        new()
        {
            Id = id, Type = OperationType.Context, SubType = "RunInChildContext", Action = OperationAction.Start, Name = "ctx-" + id,
            ParentId = parentId, ContextOptions = replayChildren is null ? null : new ContextOptions { ReplayChildren = replayChildren },
        };

    public static OperationUpdate ContextSucceed(string id, string? payload, bool? replayChildren = null, string? parentId = null) =>
        new()
        {
            Id = id, Type = OperationType.Context, SubType = "RunInChildContext", Action = OperationAction.Succeed, Name = "ctx-" + id,
            Payload = payload, ParentId = parentId, ContextOptions = replayChildren is null ? null : new ContextOptions { ReplayChildren = replayChildren },
        };

    public static OperationUpdate ExecutionSucceed(string? payload) =>
        new() { Id = "execution-result", Type = OperationType.Execution, Action = OperationAction.Succeed, Payload = payload };

    public static OperationUpdate ExecutionFail(ErrorObject error) =>
        new() { Id = "execution-result", Type = OperationType.Execution, Action = OperationAction.Fail, Error = error };
}
