using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen;

namespace OrderApproval;

/// <summary>
/// The seed's second function: a plain (not durable) function standing in for a manager. It receives the callback id
/// with the order, reports that it is alive, and completes the callback through the typed API generated from
/// <see cref="ManagerApproval"/>. On AWS it is invoked with InvocationType Event and completes the callback over the
/// Lambda API; here it talks to the in-process engine.
/// </summary>
public static class Approver
{
    /// <summary>Orders up to this amount are approved.</summary>
    public const decimal ApprovalLimit = 1000m;

    public static async Task HandleAsync(ApprovalRequest request, IDurableCallbackClient callbacks,
        CancellationToken cancellationToken = default)
    {
        var approval = ManagerApproval.Complete(callbacks, request.CallbackId);
        await approval.HeartbeatAsync(cancellationToken);

        var decision = request.Order.Amount <= ApprovalLimit
            ? new ApprovalDecision(true, "kim", null)
            : new ApprovalDecision(false, "kim", $"{request.Order.Amount:0.00} is over the {ApprovalLimit:0} limit");
        await approval.SucceedAsync(decision, cancellationToken);
    }
}

/// <summary>How the workflow asks the approver: an asynchronous (Event) invocation of another function.</summary>
public interface IApproverInvoker
{
    /// <summary>Starts the approver and returns without waiting for its answer.</summary>
    Task InvokeAsync(ApprovalRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The approver as a separate Lambda function ("order-approver"), invoked with InvocationType Event. That call needs
/// the Lambda API client, which is not part of this build yet: until it is, the submitter step fails (and is retried)
/// when the workflow runs under a real Lambda Runtime API and reaches the hand-off.
/// </summary>
public sealed class LambdaApproverInvoker : IApproverInvoker
{
    public Task InvokeAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Invoking the order-approver function needs the Lambda API client, which this build does not have yet.");
}
