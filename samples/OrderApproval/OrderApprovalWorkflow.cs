using System.Threading.Tasks;
using DurableGen;
using Microsoft.Extensions.Logging;

namespace OrderApproval;

/// <summary>
/// The seed workflow: reserve stock, ask a manager and suspend until they answer (up to three days, with a heartbeat
/// every twelve hours), then charge or release. The approver gets the callback id from inside the submitter step, so it
/// is asked exactly once however often the workflow replays. The generator writes its Lambda handler, serializer
/// registration and <c>_HANDLER</c> entry ("order-approval"). It runs on arm64 (Graviton), the approver on x86_64, so
/// <c>durablegen package</c> builds both Native AOT zips.
/// </summary>
[DurableWorkflow(FunctionName = "order-approval", ExecutionTimeout = 7 * 24 * 3600, RetentionPeriodInDays = 30,
    Architecture = LambdaArchitecture.Arm64, Description = "Reserves stock, waits up to three days for a manager, then charges or releases.")]
public sealed partial class OrderApprovalWorkflow(IApproverInvoker approver)
{
    /// <summary>How Lambda creates the workflow: the approver is another function, invoked asynchronously.</summary>
    public static OrderApprovalWorkflow CreateWorkflow() => new(new LambdaApproverInvoker());

    public async Task<OrderResult> RunAsync(Order order, IDurableContext context)
    {
        var reservation = await context.StepAsync(
            (step, _) => Task.FromResult($"rsv-{order.OrderId}"), "reserve-inventory");
        context.Logger.LogInformation("Reserved {Reservation} for {OrderId}", reservation, order.OrderId);

        var decision = await ManagerApproval.WaitAsync(context,
            (callbackId, cancellationToken) => approver.InvokeAsync(new ApprovalRequest(callbackId, order), cancellationToken),
            RetryStrategy.Transient);

        return await OrderSteps.FinishAsync(context, order, reservation, decision);
    }
}

/// <summary>
/// The same workflow written with <c>ManagerApproval.CreateAsync</c> and an explicit hand-off step: the shape to use
/// when something else must happen between creating the callback and waiting for it.
/// </summary>
[DurableWorkflow(FunctionName = "order-approval-handoff", ExecutionTimeout = 7 * 24 * 3600, RetentionPeriodInDays = 30,
    Architecture = LambdaArchitecture.Arm64, Description = "The order-approval workflow with an explicit hand-off step.")]
public sealed partial class HandOffOrderApprovalWorkflow(IApproverInvoker approver)
{
    /// <summary>How Lambda creates the workflow (see <see cref="OrderApprovalWorkflow.CreateWorkflow"/>).</summary>
    public static HandOffOrderApprovalWorkflow CreateWorkflow() => new(new LambdaApproverInvoker());

    public async Task<OrderResult> RunAsync(Order order, IDurableContext context)
    {
        var reservation = await context.StepAsync(
            (step, _) => Task.FromResult($"rsv-{order.OrderId}"), "reserve-inventory");

        var callback = await ManagerApproval.CreateAsync(context);

        // The hand-off is a step: on replay it is not repeated, so the approver is asked once.
        await context.StepAsync((step, cancellationToken) =>
            approver.InvokeAsync(new ApprovalRequest(callback.CallbackId, order), cancellationToken), "request-approval");

        var decision = await callback.GetResultAsync();
        return await OrderSteps.FinishAsync(context, order, reservation, decision);
    }
}

internal static class OrderSteps
{
    public static async Task<OrderResult> FinishAsync(IDurableContext context, Order order, string reservation,
        ApprovalDecision decision)
    {
        if (!decision.Approved)
        {
            await context.StepAsync((step, _) => Task.CompletedTask, "release-inventory");
            return new OrderResult(order.OrderId, "REJECTED", null, decision.Approver, decision.Reason);
        }

        // Charging must never happen twice: at most once per attempt, and no retries.
        var chargeId = await context.StepAsync((step, _) => Task.FromResult($"ch-{order.OrderId}-{order.Amount:0}"),
            "charge-card", new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry, RetryStrategy = RetryStrategy.None });
        context.Logger.LogInformation("Charged {ChargeId} for {Reservation}", chargeId, reservation);
        return new OrderResult(order.OrderId, "APPROVED", chargeId, decision.Approver, null);
    }
}
