using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Generated;
using DurableGen.Protocol;
using DurableGen.Testing;
using OrderApproval;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>Generated handlers (this project's and the sample's) driven through the Runtime API loop.</summary>
public sealed class GeneratedHandlerTests
{
    [Fact]
    public async Task The_generated_registry_runs_a_real_invocation_through_WrapAsync()
    {
        Assert.Contains(GreeterWorkflow.Registration, DurableWorkflows.All);
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, DurableWorkflows.All,
            new() { ["_HANDLER"] = GreeterWorkflow.FunctionName });
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("\"ada\"")));

        var output = Envelopes.Output((await api.NextPostedAsync()).Body);

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Equal("\"hello ada\"", output.Result);
    }

    [Fact]
    public async Task A_checkpoint_with_the_replay_only_client_is_an_invocation_error_Lambda_retries()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [OrderApprovalWorkflow.Registration]);
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("""{"OrderId":"o-1","Customer":"ada","Amount":5}""")));

        var posted = await api.NextPostedAsync();

        Assert.Equal("error", posted.Kind);
        Assert.Equal("DurableExecutionException", posted.ErrorType);
        Assert.Contains("replay-only", posted.Body);
    }

    [Theory]
    [InlineData("order-approval")]
    [InlineData("order-approval-handoff")]
    public async Task The_sample_replays_a_finished_execution_through_its_generated_handler(string function)
    {
        var (envelope, expected) = await SampleExecution.RunToEndAsync(function, new Order("o-7", "ada", 420m));
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [OrderApprovalWorkflow.Registration, HandOffOrderApprovalWorkflow.Registration],
            new() { ["_HANDLER"] = function });
        api.Enqueue(new NextAnswer("req-replay", envelope));

        var output = Envelopes.Output((await api.NextPostedAsync()).Body);

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.Equal(expected, output.Result);
    }
}

/// <summary>Runs the sample on the in-process engine and returns the finished execution as an invocation envelope.</summary>
internal static class SampleExecution
{
    public static async Task<(string Envelope, string Result)> RunToEndAsync(string function, Order order)
    {
        var host = new InProcessHost();
        var approver = new InProcessApproverInvoker(host);
        host.RegisterDurableFunction(OrderApprovalWorkflow.Registration, new OrderApprovalWorkflow(approver).RunAsync);
        host.RegisterDurableFunction(HandOffOrderApprovalWorkflow.Registration, new HandOffOrderApprovalWorkflow(approver).RunAsync);
        var arn = host.StartExecution(function, OrderApprovalWorkflow.Serializer.Serialize(order));
        Assert.True(await host.RunUntilAsync(() => host.GetExecution(arn).Status != ExecutionStatus.Running));
        var execution = host.GetExecution(arn);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = arn,
            CheckpointToken = "replay",
            InitialExecutionState = new InitialExecutionState { Operations = host.GetOperations(arn).ToList() },
        };
        return (System.Text.Json.JsonSerializer.Serialize(input, ProtocolJson.Envelope.DurableExecutionInvocationInput),
            execution.Result!);
    }
}
