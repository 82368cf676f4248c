using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen;
using DurableGen.Client;

namespace OrderApproval;

/// <summary>
/// The approver as its own, plain (not durable) Lambda function in the same binary. The generated entry point runs it
/// when <c>_HANDLER</c> is <c>order-approver</c>; each event is an <see cref="ApprovalRequest"/>, and the answer goes
/// back to the workflow over HTTP through <see cref="DurableExecutionClient"/> and the typed
/// <c>ManagerApproval.Complete(...)</c> API (a heartbeat, then the decision). Because it completes the
/// <see cref="ManagerApproval"/> contract, the generated template lets it complete the callbacks of the workflows that
/// wait on that contract, and nothing else.
/// </summary>
[LambdaFunction(FunctionName = "order-approver", Description = "Approves or rejects an order and answers its workflow's callback.",
    FunctionTimeout = 30, MemorySize = 256)]
public sealed partial class ApproverFunction
{
    // One client per process: the handler object is created per invocation, the connection pool should not be.
    private static readonly Lazy<DurableExecutionClient> Callbacks = new(() => new DurableExecutionClient());

    public async Task HandleAsync(ApprovalRequest request, ILambdaContext context, CancellationToken cancellationToken)
    {
        await Approver.HandleAsync(request, Callbacks.Value, cancellationToken);
        Console.WriteLine($"answered the manager-approval callback of order {request.Order.OrderId}");
    }
}
