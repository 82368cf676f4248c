using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen;
using DurableGen.Client;

namespace OrderApproval;

/// <summary>
/// The seed's second function: a plain (not durable) function standing in for a manager. It receives the callback id
/// with the order, reports that it is alive, and completes the callback through the typed API generated from
/// <see cref="ManagerApproval"/>. As a Lambda function (<see cref="ApproverFunction"/>, on AWS or on the local
/// service) it is invoked with InvocationType Event and completes the callback over HTTP with
/// <see cref="DurableExecutionClient"/>; in the in-process demo it talks to the in-process engine.
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
/// The approver as a separate Lambda function (<see cref="ApproverFunction.FunctionName"/>), invoked with InvocationType
/// Event through <see cref="DurableExecutionClient"/> (endpoint, region and credentials from the environment: on AWS the
/// Lambda API, under the local service its <c>AWS_ENDPOINT_URL_LAMBDA</c>). The call returns once the invocation is
/// queued (202); it runs inside the submitter step, so a replay does not ask again.
/// </summary>
public sealed class LambdaApproverInvoker : IApproverInvoker
{
    // One client per process: the workflow object is created per invocation, the connection pool should not be.
    private static readonly Lazy<DurableExecutionClient> SharedClient = new(() => new DurableExecutionClient());

    private readonly DurableExecutionClient? _client;

    /// <summary>Invokes through the process's client, configured from the environment on first use.</summary>
    public LambdaApproverInvoker()
    {
    }

    /// <summary>Invokes through <paramref name="client"/>.</summary>
    public LambdaApproverInvoker(DurableExecutionClient client) => _client = client;

    public async Task InvokeAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        var response = await (_client ?? SharedClient.Value).InvokeAsync(new InvokeDurableExecutionRequest
        {
            FunctionName = ApproverFunction.FunctionName,
            InvocationType = DurableInvocationType.Event,
            Payload = JsonSerializer.Serialize(request, OrderApprovalJson.Default.ApprovalRequest),
        }, cancellationToken);
        if (response.StatusCode != 202)
        {
            throw new InvalidOperationException(
                $"Invoking {ApproverFunction.FunctionName} with InvocationType Event answered {response.StatusCode}, not 202.");
        }
    }
}
