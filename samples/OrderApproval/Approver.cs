using System.Threading;
using System.Threading.Tasks;
using DurableGen;

namespace OrderApproval;

/// <summary>
/// The seed's second function: a plain (not durable) function standing in for a manager. It receives the callback id
/// with the order, reports that it is alive, and completes the callback. On AWS it is invoked with InvocationType
/// Event and completes the callback over the Lambda API; here it talks to the in-process engine.
/// </summary>
public static class Approver
{
    /// <summary>Orders up to this amount are approved.</summary>
    public const decimal ApprovalLimit = 1000m;

    public static async Task HandleAsync(ApprovalRequest request, IDurableCallbackClient callbacks,
        IDurableSerializer serializer, CancellationToken cancellationToken = default)
    {
        await callbacks.SendCallbackHeartbeatAsync(request.CallbackId, cancellationToken);

        var decision = request.Order.Amount <= ApprovalLimit
            ? new ApprovalDecision(true, "kim", null)
            : new ApprovalDecision(false, "kim", $"{request.Order.Amount:0.00} is over the {ApprovalLimit:0} limit");
        await callbacks.SendCallbackSuccessAsync(request.CallbackId, decision, serializer, cancellationToken);
    }
}

/// <summary>How the workflow asks the approver: an asynchronous (Event) invocation of another function.</summary>
public interface IApproverInvoker
{
    /// <summary>Starts the approver and returns without waiting for its answer.</summary>
    Task InvokeAsync(ApprovalRequest request, CancellationToken cancellationToken);
}

/// <summary>Runs the approver in this process, in the background, like an Event invocation.</summary>
public sealed class InProcessApproverInvoker(IDurableCallbackClient callbacks, IDurableSerializer serializer) : IApproverInvoker
{
    public Task InvokeAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        _ = Task.Run(() => Approver.HandleAsync(request, callbacks, serializer), CancellationToken.None);
        return Task.CompletedTask;
    }
}
