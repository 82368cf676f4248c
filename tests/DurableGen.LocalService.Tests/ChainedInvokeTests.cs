using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// Chained invokes as a deployed template makes them: a durable function invoking a plain one (which gets the payload as
/// its event, and whose response or error is the invoke's outcome), through the target's alias ARN; an alias the target
/// does not have is refused.
/// </summary>
public sealed class ChainedInvokeTests
{
    private static string Invoke(string target) =>
        $$$"""[{"Id":"inv1","Type":"CHAINED_INVOKE","Action":"START","Name":"call","SubType":"ChainedInvoke","Payload":"\"hi\"","ChainedInvokeOptions":{"FunctionName":"{{{target}}}"}}]""";

    private static Task<TestService> StartAsync() => TestService.StartAsync(options =>
        options.Functions.Single(f => f.Name == "echo").Aliases.Add("live"));

    /// <summary>A workflow (order-flow) that chained-invokes <paramref name="target"/> and suspends; the plain echo
    /// function's invocation is taken; <paramref name="answer"/> answers it, then the workflow's next invocation shows
    /// the invoke's record.</summary>
    private static async Task<(Operation Invoke, TestService Test, string Arn, FakeInvocation Call)> InvokeEchoAsync(string target,
        Func<FakeFunction, FakeInvocation, Task<int>> answer)
    {
        var test = await StartAsync();
        using var workflow = new FakeFunction(test, "order-flow");
        using var echo = new FakeFunction(test, "echo");
        var arn = await test.StartExecutionAsync();
        var first = await workflow.NextAsync();
        await workflow.CheckpointAsync(arn, first.Envelope.CheckpointToken!, Invoke(target));
        Assert.Equal(202, await workflow.RespondAsync(first.RequestId, FakeFunction.Pending));

        var call = await echo.NextAsync();
        Assert.Equal(202, await answer(echo, call));

        var second = await workflow.NextAsync();
        return (second.Envelope.InitialExecutionState!.Operations!.Single(o => o.Id == "inv1"), test, arn, call);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:echo:live")]
    public async Task A_plain_target_gets_the_payload_and_its_response_is_the_invokes_result(string target)
    {
        var (invoke, test, _, call) = await InvokeEchoAsync(target, (echo, call) => echo.RespondAsync(call.RequestId, "\"HI\""));
        await using var _ = test;

        Assert.Equal("\"hi\"", call.Body); // the payload itself, not a durable execution envelope
        Assert.Equal(OperationStatus.Succeeded, invoke.Status);
        Assert.Equal("\"HI\"", invoke.ChainedInvokeDetails!.Result);
    }

    [Fact]
    public async Task A_plain_targets_error_fails_the_invoke_without_retrying_it()
    {
        var (invoke, test, _, _) = await InvokeEchoAsync("echo", (echo, call) => echo.FailAsync(call.RequestId, "Shop.OutOfStock", "nothing left"));
        await using var _ = test;

        Assert.Equal(OperationStatus.Failed, invoke.Status);
        Assert.Equal(("Shop.OutOfStock", "nothing left"), (invoke.ChainedInvokeDetails!.Error!.ErrorType, invoke.ChainedInvokeDetails.Error.ErrorMessage));
    }

    [Fact]
    public async Task A_plain_targets_error_too_big_for_the_engine_still_fails_the_invoke_once()
    {
        var (invoke, test, arn, _) = await InvokeEchoAsync("echo", (echo, call) => echo.FailAsync(call.RequestId, "Huge", new string('x', 100_000)));
        await using var _ = test;

        var error = invoke.ChainedInvokeDetails!.Error!;
        Assert.Equal("Huge", error.ErrorType);
        Assert.Equal(4096, error.ErrorMessage!.Length); // cut down, as Lambda cuts a function error down
        Assert.Single(await test.HistoryAsync(arn), e => e.GetProperty("EventType").GetString() == "ChainedInvokeFailed");
    }

    [Fact]
    public async Task An_alias_the_target_does_not_have_is_refused_before_anything_is_recorded()
    {
        await using var test = await StartAsync();
        using var workflow = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var first = await workflow.NextAsync();

        using var response = await test.Http.PostAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}/checkpoint",
            new StringContent($$"""{"CheckpointToken":"{{first.Envelope.CheckpointToken}}","Updates":{{Invoke("arn:aws:lambda:us-east-1:123456789012:function:echo:prod")}}}""",
                Encoding.UTF8, "application/json"));

        await AwsAssert.ErrorAsync(response, 404, "ResourceNotFoundException");
        Assert.DoesNotContain(await test.HistoryAsync(arn), e => e.GetProperty("EventType").GetString() == "ChainedInvokeStarted");
    }

    [Fact]
    public async Task Invoke_through_an_alias_runs_the_function_and_an_unknown_alias_is_not_found()
    {
        await using var test = await StartAsync();
        using var echo = new FakeFunction(test, "echo");

        using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/echo:live/invocations") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var accepted = await test.Http.SendAsync(request);
        Assert.Equal(202, (int)accepted.StatusCode);
        Assert.Equal("$LATEST", accepted.Headers.GetValues("X-Amz-Executed-Version").Single());
        Assert.Equal("{}", (await echo.NextAsync()).Body);

        using var missing = await test.Http.PostAsync("2015-03-31/functions/echo:prod/invocations", new StringContent("{}", Encoding.UTF8, "application/json"));
        await AwsAssert.ErrorAsync(missing, 404, "ResourceNotFoundException");
    }
}
