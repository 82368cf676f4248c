using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>
/// The two calls a running durable function makes to the durable execution service. Implementations throw
/// <see cref="DurableServiceException"/> for errors the service answers, carrying its AWS error code and HTTP status.
/// </summary>
public interface IDurableServiceClient
{
    /// <summary>Persists operation updates and returns the next checkpoint token and every record that changed.</summary>
    Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default);

    /// <summary>Reads one page of the execution's operation records.</summary>
    Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default);
}
