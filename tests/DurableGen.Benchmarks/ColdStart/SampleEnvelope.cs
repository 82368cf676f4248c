using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Testing;
using OrderApproval;

namespace DurableGen.Benchmarks;

/// <summary>
/// The invocation the sample answers in the cold-start runs: an order-approval execution run to its end on the
/// in-process engine, as an envelope holding every record (as in AotBootstrapTests). The bootstrap replays it without a
/// single checkpoint, so the measurement needs no service behind the fake and every run does identical work.
/// </summary>
internal static class SampleEnvelope
{
    /// <summary>The function (<c>_HANDLER</c>) the envelope belongs to.</summary>
    public const string Function = OrderApprovalWorkflow.FunctionName;

    /// <summary>Runs the execution and returns the envelope (UTF-8 JSON) and the result the replay must return.</summary>
    public static async Task<(byte[] Envelope, string Result)> CreateAsync()
    {
        var host = new InProcessHost();
        host.RegisterDurableFunction(OrderApprovalWorkflow.Registration, new OrderApprovalWorkflow(new InProcessApproverInvoker(host)).RunAsync);
        var arn = host.StartExecution(Function, OrderApprovalWorkflow.Serializer.Serialize(new Order("o-cold", "ada", 420m)));
        await host.RunUntilAsync(() => host.GetExecution(arn).Status != ExecutionStatus.Running).ConfigureAwait(false);
        var execution = host.GetExecution(arn);
        if (execution.Status != ExecutionStatus.Succeeded || execution.Result is null)
        {
            throw new InvalidOperationException($"The in-process order-approval execution ended {execution.Status}, not SUCCEEDED.");
        }

        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = arn,
            CheckpointToken = "replay",
            InitialExecutionState = new InitialExecutionState { Operations = host.GetOperations(arn).ToList() },
        };
        return (JsonSerializer.SerializeToUtf8Bytes(input, ProtocolJson.Envelope.DurableExecutionInvocationInput), execution.Result);
    }

    /// <summary>Why <paramref name="posted"/> is not the successful replay's output, or null when it is.</summary>
    public static string? Check(string posted, string expectedResult)
    {
        var output = JsonSerializer.Deserialize(posted, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
        return output is { Status: InvocationStatus.Succeeded } && output.Result == expectedResult
            ? null
            : $"expected SUCCEEDED with {expectedResult}, got {posted}";
    }
}
