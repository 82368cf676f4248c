using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>
/// How an external system completes a callback that a workflow is waiting on. The in-process engine of
/// <c>DurableGen.Testing</c> implements it, and so does the HTTP client that talks to the Lambda service.
/// Errors are <see cref="Protocol.DurableServiceException"/>s carrying the AWS error code (an unknown id is
/// <c>ResourceNotFoundException</c>, an already closed callback <c>CallbackTimeoutException</c>).
/// </summary>
public interface IDurableCallbackClient
{
    /// <summary>Completes the callback with <paramref name="result"/>, the text the workflow deserializes.</summary>
    Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken = default);

    /// <summary>Completes the callback with a failure; the workflow sees <see cref="CallbackFailedException"/>.</summary>
    Task SendCallbackFailureAsync(string callbackId, ErrorObject? error, CancellationToken cancellationToken = default);

    /// <summary>Tells the service the external work is still alive, resetting the heartbeat timeout.</summary>
    Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default);
}

/// <summary>Typed completion on top of <see cref="IDurableCallbackClient"/>.</summary>
public static class DurableCallbackClientExtensions
{
    /// <summary>Serializes <paramref name="result"/> with <paramref name="serializer"/> and completes the callback with it.</summary>
    public static Task SendCallbackSuccessAsync<T>(this IDurableCallbackClient client, string callbackId, T result,
        IDurableSerializer serializer, CancellationToken cancellationToken = default)
    {
        System.ArgumentNullException.ThrowIfNull(client);
        System.ArgumentNullException.ThrowIfNull(serializer);
        return client.SendCallbackSuccessAsync(callbackId, serializer.Serialize(result), cancellationToken);
    }
}
