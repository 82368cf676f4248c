using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Testing;

/// <summary>Completes callbacks on the in-process engine and wakes the run that waits for them.</summary>
internal sealed class EngineCallbackClient(InProcessHost host) : IDurableCallbackClient
{
    public Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken = default) =>
        Send(() => host.Engine.SendCallbackSuccess(callbackId, result));

    public Task SendCallbackFailureAsync(string callbackId, ErrorObject? error, CancellationToken cancellationToken = default) =>
        Send(() => host.Engine.SendCallbackFailure(callbackId, error));

    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default) =>
        Send(() => host.Engine.SendCallbackHeartbeat(callbackId));

    private Task Send(Action send)
    {
        try
        {
            send();
        }
        catch (DurableServiceException ex)
        {
            return Task.FromException(ex);
        }

        host.Signal();
        return Task.CompletedTask;
    }
}
