using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// [LambdaFunction] handlers in the generated host: selected by _HANDLER (or, for a template whose handler is
/// "bootstrap", by the deployed function's name) next to the workflows, event JSON in and result JSON out, the token
/// cancelled at the invocation's deadline.
/// </summary>
public sealed class PlainFunctionHostTests
{
    private static DurableWorkflowRegistration Workflow => GreeterWorkflow.Registration;

    [Fact]
    public async Task HANDLER_selects_the_plain_function_which_answers_with_its_result_json()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Workflow], new Dictionary<string, string> { ["_HANDLER"] = "shouter" },
            noClient: true, functions: [ShouterFunction.Registration]);
        api.Enqueue(new NextAnswer("req-1", """{"Text":"hi"}"""));

        var posted = await api.NextPostedAsync();

        Assert.Equal("response", posted.Kind);
        var result = JsonSerializer.Deserialize(posted.Body, HostingTestJson.Default.ShoutResult)!;
        Assert.Equal(new ShoutResult("HI!", "shouter", "req-1"), result);
    }

    [Fact]
    public async Task A_bootstrap_handler_falls_back_to_the_deployed_function_name()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var env = new Dictionary<string, string> { ["_HANDLER"] = "bootstrap", ["AWS_LAMBDA_FUNCTION_NAME"] = "shouter" };
        await using var host = new HostRun(api, [Workflow], env, noClient: true, functions: [ShouterFunction.Registration]);
        api.Enqueue(new NextAnswer("req-1", """{"Text":"hey"}"""));

        Assert.Contains("HEY!", (await api.NextPostedAsync()).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workflow_is_still_selected_by_its_name_and_needs_its_service_client()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Workflow], new Dictionary<string, string> { ["_HANDLER"] = "greeter" },
            functions: [ShouterFunction.Registration]);
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("\"ada\"")));

        Assert.Equal("\"hello ada\"", Envelopes.Output((await api.NextPostedAsync()).Body).Result);
    }

    [Fact]
    public async Task A_handler_that_throws_posts_the_error_and_the_loop_goes_on()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [], new Dictionary<string, string> { ["_HANDLER"] = "shouter" },
            noClient: true, functions: [ShouterFunction.Registration]);
        api.Enqueue(new NextAnswer("req-1", "not json"));
        api.Enqueue(new NextAnswer("req-2", """{"Text":"ok"}"""));

        var failed = await api.NextPostedAsync();
        Assert.Equal(("error", "req-1"), (failed.Kind, failed.RequestId));
        Assert.Equal("JsonException", failed.ErrorType);
        var next = await api.NextPostedAsync();
        Assert.Equal(("response", "req-2"), (next.Kind, next.RequestId));
    }

    [Fact]
    public async Task The_handlers_token_is_cancelled_when_the_invocation_deadline_passes()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [], new Dictionary<string, string> { ["_HANDLER"] = "shouter" },
            noClient: true, functions: [ShouterFunction.Registration]);
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(300).ToUnixTimeMilliseconds();
        api.Enqueue(new NextAnswer("req-1", """{"Text":"slow","WaitForDeadline":true}""", DeadlineMs: deadline));

        var posted = await api.NextPostedAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("error", posted.Kind);
        Assert.Equal("TaskCanceledException", posted.ErrorType);
    }
}
