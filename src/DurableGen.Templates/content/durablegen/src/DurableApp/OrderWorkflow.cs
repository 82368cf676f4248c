using DurableGen;
using Microsoft.Extensions.Logging;

namespace DurableApp;

/// <summary>
/// A Lambda durable function. Every <c>context</c> call is checkpointed: Lambda re-runs <see cref="RunAsync"/> from
/// the top on each invocation and replays finished steps from their checkpoints, so code outside steps must be
/// deterministic (the DG2xxx analyzers point out what is not). The generator writes the Lambda handler and Main.
/// </summary>
//#if (architecture == "arm64")
[DurableWorkflow(ExecutionTimeout = 7 * 24 * 3600, Architecture = LambdaArchitecture.Arm64,
    Description = "Prices an order, asks a manager to approve large ones, then confirms it.")]
//#else
[DurableWorkflow(ExecutionTimeout = 7 * 24 * 3600,
    Description = "Prices an order, asks a manager to approve large ones, then confirms it.")]
//#endif
public sealed partial class OrderWorkflow
{
    /// <summary>Orders above this total wait for a manager.</summary>
    public const decimal ApprovalThreshold = 1000m;

    public async Task<OrderResult> RunAsync(Order order, IDurableContext context)
    {
        // A step runs once; on replay its checkpointed result is returned without running it again.
        var total = await context.StepAsync((step, _) => Task.FromResult(order.Quantity * order.UnitPrice), "price-order");

        string? approver = null;
        if (total > ApprovalThreshold)
        {
            // The execution suspends (no Lambda runs, nothing is billed) until someone completes the callback.
            Approval approval;
            try
            {
                approval = await ManagerApproval.WaitAsync(context, (callbackId, _) =>
                {
                    // Hand callbackId to whoever approves (a queue, an email, another function). This runs inside a
                    // step, so it happens once however often the workflow replays.
                    return Task.CompletedTask;
                });
            }
            catch (CallbackTimeoutException)
            {
                return new OrderResult(order.OrderId, "EXPIRED", total, null, null);
            }

            if (!approval.Approved)
            {
                context.Logger.LogInformation("Order {OrderId} rejected by {Approver}", order.OrderId, approval.Approver);
                return new OrderResult(order.OrderId, "REJECTED", total, null, approval.Approver);
            }

            approver = approval.Approver;
        }

        var confirmation = await context.StepAsync((step, _) => Task.FromResult($"conf-{order.OrderId}"), "confirm-order");
        context.Logger.LogInformation("Order {OrderId} confirmed: {ConfirmationId}", order.OrderId, confirmation);
        return new OrderResult(order.OrderId, "CONFIRMED", total, confirmation, approver);
    }
}
