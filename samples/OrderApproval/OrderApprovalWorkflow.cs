using System;
using System.Threading.Tasks;
using DurableGen;
using Microsoft.Extensions.Logging;

namespace OrderApproval;

/// <summary>
/// The seed workflow: reserve stock, ask a manager and suspend until they answer (up to three days, with a heartbeat
/// every twelve hours), then charge or release. The approver gets the callback id from inside the submitter step, so it
/// is asked exactly once however often the workflow replays.
/// </summary>
public sealed class OrderApprovalWorkflow(IApproverInvoker approver)
{
    public async Task<OrderResult> RunAsync(Order order, IDurableContext context)
    {
        var reservation = await context.StepAsync(
            (step, _) => Task.FromResult($"rsv-{order.OrderId}"), "reserve-inventory");
        context.Logger.LogInformation("Reserved {Reservation} for {OrderId}", reservation, order.OrderId);

        var decision = await context.WaitForCallbackAsync<ApprovalDecision>(
            (callbackId, submit, cancellationToken) =>
                approver.InvokeAsync(new ApprovalRequest(callbackId, order), cancellationToken),
            "manager-approval",
            new WaitForCallbackConfig
            {
                Timeout = TimeSpan.FromDays(3),
                HeartbeatTimeout = TimeSpan.FromHours(12),
                RetryStrategy = RetryStrategy.Transient,
            });

        return await OrderSteps.FinishAsync(context, order, reservation, decision);
    }
}

/// <summary>
/// The same workflow written with <see cref="IDurableContext.CreateCallbackAsync{T}"/> and an explicit hand-off step:
/// the shape to use when something else must happen between creating the callback and waiting for it.
/// </summary>
public sealed class HandOffOrderApprovalWorkflow(IApproverInvoker approver)
{
    public async Task<OrderResult> RunAsync(Order order, IDurableContext context)
    {
        var reservation = await context.StepAsync(
            (step, _) => Task.FromResult($"rsv-{order.OrderId}"), "reserve-inventory");

        var callback = await context.CreateCallbackAsync<ApprovalDecision>("manager-approval",
            new CallbackConfig { Timeout = TimeSpan.FromDays(3), HeartbeatTimeout = TimeSpan.FromHours(12) });

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
