using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>
/// A service client that answers nothing: it serves invocations whose envelope already holds every record the
/// workflow needs (a finished execution replayed, e.g. a smoke test of a published <c>bootstrap</c>). Any checkpoint or
/// state page fails with a retryable <see cref="DurableServiceException"/>. Selected with
/// <c>DURABLEGEN_SERVICE_CLIENT=replay-only</c>; never a default.
/// </summary>
internal sealed class ReplayOnlyServiceClient : IDurableServiceClient
{
    /// <inheritdoc />
    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default) => throw Unavailable("CheckpointDurableExecution");

    /// <inheritdoc />
    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default) => throw Unavailable("GetDurableExecutionState");

    private static DurableServiceException Unavailable(string call) => new("ServiceException", 503,
        $"{call} is not available: this process runs with the replay-only service client (DURABLEGEN_SERVICE_CLIENT=replay-only).");
}
