#if !LAMBDA_ONLY
using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Client;
using DurableGen.Generated;
using DurableGen.Protocol;
using DurableGen.Testing;

namespace OrderApproval;

/// <summary>
/// Runs the order-approval pair on the in-process durable execution engine: the workflow suspends on the manager's
/// callback, the approver completes it from another task, the engine re-invokes the workflow, and time is skipped.
/// Not part of the published (Native AOT) bootstrap: the in-process engine lives in DurableGen.Testing.
/// </summary>
internal static class InProcessDemo
{
    public static async Task<int> RunAsync(string[] args)
    {
        var json = args.Contains("--json");
        DurableWorkflows.RegisterSerialization();
        var serializer = OrderApprovalWorkflow.Serializer;

        var host = new InProcessHost();
        var approver = new InProcessApproverInvoker(host);
        // Each workflow under its registration's name, serializer and execution timeout, built with the in-process approver.
        host.RegisterDurableFunction(OrderApprovalWorkflow.Registration, new OrderApprovalWorkflow(approver).RunAsync);
        host.RegisterDurableFunction(HandOffOrderApprovalWorkflow.Registration, new HandOffOrderApprovalWorkflow(approver).RunAsync);

        var runs = new (string Function, Order Order)[]
        {
            (OrderApprovalWorkflow.FunctionName, new Order("o-1001", "ada", 420m)),
            (OrderApprovalWorkflow.FunctionName, new Order("o-1002", "grace", 2500m)),
            (HandOffOrderApprovalWorkflow.FunctionName, new Order("o-1003", "alan", 99m)),
        };

        var failed = false;
        foreach (var (function, order) in runs)
        {
            var arn = host.StartExecution(function, serializer.Serialize(order));
            await host.RunUntilAsync(() => host.GetExecution(arn).Status != ExecutionStatus.Running);
            var execution = host.GetExecution(arn);
            var history = new GetDurableExecutionHistoryResponse { Events = host.GetHistoryEvents(arn) };

            Console.WriteLine($"== {function} {order.OrderId} ({order.Amount:0.00}) → {execution.Status} " +
                              $"after {host.GetInvocationCount(arn)} invocations");
            Console.WriteLine($"   result: {execution.Result ?? execution.Error?.ErrorMessage}");
            Console.WriteLine(json
                ? JsonSerializer.Serialize(history, ProtocolJson.Rest.GetDurableExecutionHistoryResponse)
                : HistoryTimeline.Format(history.Events));
            failed |= execution.Status != ExecutionStatus.Succeeded;
        }

        return failed ? 1 : 0;
    }
}

/// <summary>Runs the approver in this process, in the background, like an Event invocation.</summary>
public sealed class InProcessApproverInvoker(InProcessHost host) : IApproverInvoker
{
    public Task InvokeAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        // Like an Event invoke: the workflow does not wait; the host knows the approver is running and does not skip
        // time past its answer.
        host.StartBackground(() => Approver.HandleAsync(request, host.Callbacks));
        return Task.CompletedTask;
    }
}

#endif
