using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// The function's service client for one in-process invocation. Every request and response goes through the real
/// REST JSON channel, so an in-process run exercises the same serialization as a call over HTTP, and after a crash
/// every call fails, as in a dead process. An invocation with a fault plan sends its checkpoints through
/// <paramref name="wire"/> instead: the runtime's HTTP client over <see cref="EngineHttpHandler"/>, where the faults
/// are injected and the client's own retries answer them.
/// </summary>
internal sealed class EngineServiceClient(DurableExecutionEngine engine, InvocationFaults faults, IDurableServiceClient? wire = null)
    : IDurableServiceClient
{
    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default)
    {
        // A fault plan always goes through the wire client (EngineHttpHandler plays it); without one, the only fault
        // left is a crash the handler asked for.
        if (wire is not null)
        {
            return wire.CheckpointAsync(request, cancellationToken);
        }

        if (faults.HasCrashed)
        {
            return Task.FromException<CheckpointDurableExecutionResponse>(faults.Crash());
        }

        var sent = RoundTrip(request, ProtocolJson.Rest.CheckpointDurableExecutionRequest);
        sent.DurableExecutionArn = request.DurableExecutionArn; // a path parameter on the wire, not in the body
        CheckpointDurableExecutionResponse response;
        try
        {
            response = engine.Checkpoint(sent);
        }
        catch (DurableServiceException ex)
        {
            return Task.FromException<CheckpointDurableExecutionResponse>(ex);
        }

        return Task.FromResult(RoundTrip(response, ProtocolJson.Rest.CheckpointDurableExecutionResponse));
    }

    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default)
    {
        if (faults.HasCrashed)
        {
            return Task.FromException<GetDurableExecutionStateResponse>(faults.Crash());
        }

        try
        {
            return Task.FromResult(RoundTrip(engine.GetExecutionState(request), ProtocolJson.Rest.GetDurableExecutionStateResponse));
        }
        catch (DurableServiceException ex)
        {
            return Task.FromException<GetDurableExecutionStateResponse>(ex);
        }
    }

    /// <summary>Writes <paramref name="value"/> as the wire does and reads it back.</summary>
    internal static T RoundTrip<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(value, typeInfo), typeInfo)!;
}
