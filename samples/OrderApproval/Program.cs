using System;
using System.Linq;
using System.Text.Json;
using DurableGen;
using DurableGen.Protocol;
using DurableGen.Testing;
using OrderApproval;

// Runs the order-approval pair on the in-process durable execution engine: the workflow suspends on the manager's
// callback, the approver completes it from another task, the engine re-invokes the workflow, and time is skipped.
var json = args.Contains("--json");
DurableSerialization.Register(OrderApprovalJson.Default);
var serializer = DurableSerialization.Default!;

var host = new InProcessHost();
var approver = new InProcessApproverInvoker(host.Callbacks, serializer);
host.RegisterDurableFunction<Order, OrderResult>("order-approval", new OrderApprovalWorkflow(approver).RunAsync);
host.RegisterDurableFunction<Order, OrderResult>("order-approval-handoff", new HandOffOrderApprovalWorkflow(approver).RunAsync);

var runs = new (string Function, Order Order)[]
{
    ("order-approval", new Order("o-1001", "ada", 420m)),
    ("order-approval", new Order("o-1002", "grace", 2500m)),
    ("order-approval-handoff", new Order("o-1003", "alan", 99m)),
};

var failed = false;
foreach (var (function, order) in runs)
{
    var arn = host.StartExecution(function, serializer.Serialize(order));
    await host.RunUntilAsync(() => host.Engine.GetExecution(arn).Status != ExecutionStatus.Running);
    var execution = host.Engine.GetExecution(arn);
    var history = host.Engine.GetExecutionHistory(arn);

    Console.WriteLine($"== {function} {order.OrderId} ({order.Amount:0.00}) → {execution.Status} " +
                      $"after {host.GetInvocationCount(arn)} invocations");
    Console.WriteLine($"   result: {execution.Result ?? execution.Error?.ErrorMessage}");
    Console.WriteLine(json
        ? JsonSerializer.Serialize(history, ProtocolJson.Rest.GetDurableExecutionHistoryResponse)
        : HistoryTimeline.Format(history.Events));
    failed |= execution.Status != ExecutionStatus.Succeeded;
}

return failed ? 1 : 0;
