using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The per-function Lambda Runtime API: a fake function process (an HttpClient loop) runs real invocations,
/// and processes the service starts are restarted after they crash.</summary>
public sealed class RuntimeApiTests
{
    [Fact]
    public async Task A_fake_process_runs_an_execution_through_a_callback_to_the_synchronous_Invoke_result()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");

        // RequestResponse: the caller waits for the whole execution.
        using var invoke = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/order-flow/invocations")
        {
            Content = new StringContent("{\"orderId\":\"o-9\"}", Encoding.UTF8, "application/json"),
        };
        var call = test.Http.SendAsync(invoke);

        var first = await function.NextAsync();
        var headers = first.Response.Headers;
        Assert.Matches("^arn:aws:lambda:us-east-1:123456789012:function:order-flow:\\$LATEST$",
            headers.GetValues("Lambda-Runtime-Invoked-Function-Arn").Single());
        Assert.StartsWith("Root=1-", headers.GetValues("Lambda-Runtime-Trace-Id").Single(), StringComparison.Ordinal);
        var deadline = long.Parse(headers.GetValues("Lambda-Runtime-Deadline-Ms").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(deadline - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000, 6 * 60_000);
        var envelope = first.Envelope;
        Assert.Equal("{\"orderId\":\"o-9\"}", envelope.InitialExecutionState!.Operations![0].ExecutionDetails!.InputPayload);

        var checkpoint = await function.CheckpointAsync(envelope.DurableExecutionArn, envelope.CheckpointToken!,
            "[{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"START\",\"SubType\":\"Step\",\"Name\":\"reserve\"}," +
            "{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\",\"SubType\":\"Step\",\"Name\":\"reserve\",\"Payload\":\"\\\"rsv-1\\\"\"}," +
            "{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"SubType\":\"Callback\",\"Name\":\"approval\"}]");
        var callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));
        Assert.Equal(400, await function.RespondAsync(first.RequestId, FakeFunction.Pending)); // not in flight anymore

        using (var success = await test.Http.PostAsync(
                   $"2025-12-01/durable-execution-callbacks/{TestService.Escape(callbackId)}/succeed",
                   new ByteArrayContent("{\"approved\":true}"u8.ToArray())))
        {
            Assert.Equal(200, (int)success.StatusCode);
        }

        var second = await function.NextAsync();
        var replay = second.Envelope;
        var callback = replay.InitialExecutionState!.Operations!.Single(o => o.Id == "cb1");
        Assert.Equal(OperationStatus.Succeeded, callback.Status);
        Assert.Equal("{\"approved\":true}", callback.CallbackDetails!.Result);
        Assert.Contains("cb1", replay.UpdatedOperationIds!);
        Assert.Equal(202, await function.RespondAsync(second.RequestId, FakeFunction.Succeeded("{\"status\":\"APPROVED\"}")));

        using var response = await call;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("{\"status\":\"APPROVED\"}", await response.Content.ReadAsStringAsync());
        var arn = response.Headers.GetValues("X-Amz-Durable-Execution-Arn").Single();
        var types = (await test.HistoryAsync(arn)).Select(e => e.GetProperty("EventType").GetString()).ToList();
        Assert.Equal(new[]
        {
            "ExecutionStarted", "StepStarted", "StepSucceeded", "CallbackStarted", "InvocationCompleted",
            "CallbackSucceeded", "InvocationCompleted", "ExecutionSucceeded",
        }, types);
    }

    [Fact]
    public async Task A_function_error_is_a_failed_invocation_and_the_execution_is_invoked_again()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var first = await function.NextAsync();
        Assert.Equal(202, await function.FailAsync(first.RequestId, "System.InvalidOperationException", "boom"));

        var second = await function.NextAsync();
        Assert.Equal(arn, second.Envelope.DurableExecutionArn);
        Assert.NotEqual(first.RequestId, second.RequestId);
        var completed = (await test.HistoryAsync(arn)).First(e => e.GetProperty("EventType").GetString() == "InvocationCompleted");
        var error = completed.GetProperty("InvocationCompletedDetails").GetProperty("Error").GetProperty("Payload");
        Assert.Equal("System.InvalidOperationException", error.GetProperty("ErrorType").GetString());
        Assert.Equal("boom", error.GetProperty("ErrorMessage").GetString());

        // A response that is not an invocation output is a failed invocation too.
        Assert.Equal(202, await function.RespondAsync(second.RequestId, "\"hello\""));
        var third = await function.NextAsync();
        Assert.Equal(202, await function.RespondAsync(third.RequestId, FakeFunction.Succeeded("1")));
        await TestService.EventuallyAsync(async () => await test.StatusAsync(arn) == "SUCCEEDED", "the execution to succeed");
    }

    [Fact]
    public async Task A_plain_function_answers_RequestResponse_and_Event_invokes()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "echo");
        var call = test.Http.PostAsync("2015-03-31/functions/echo/invocations", new StringContent("{\"say\":\"hi\"}", Encoding.UTF8, "application/json"));
        var invocation = await function.NextAsync();
        Assert.Equal("{\"say\":\"hi\"}", invocation.Body);
        Assert.Equal(202, await function.RespondAsync(invocation.RequestId, "{\"said\":\"hi\"}"));
        using var response = await call;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("{\"said\":\"hi\"}", await response.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/echo/invocations")
        {
            Content = new StringContent("{\"say\":\"later\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var accepted = await test.Http.SendAsync(request);
        Assert.Equal(202, (int)accepted.StatusCode);
        var queued = await function.NextAsync();
        Assert.Equal("{\"say\":\"later\"}", queued.Body);
        Assert.Equal(202, await function.FailAsync(queued.RequestId, "Function.Oops", "nope"));
    }

    [Fact]
    public async Task Unknown_runtime_paths_and_request_ids_get_runtime_errors_and_create_nothing()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        Assert.Equal(400, await function.RespondAsync("no-such-request", "{}"));
        var before = (await test.GetJsonAsync("local/functions")).GetArrayLength();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{test.Service.RuntimeApiFor("order-flow")}/") };
        foreach (var path in new[]
                 {
                     "2018-06-01/runtime/nothing", "2018-06-01/runtime/invocation/next/more", "2018-06-01/runtime",
                     "2019-01-01/runtime/invocation/next", "runtime/invocation/next", "", "2018-06-01//runtime/invocation/next",
                     "runtime-api/order-flow/2018-06-01/runtime/invocation/next",
                 })
        {
            using var notFound = await runtime.GetAsync(path);
            Assert.True(404 == (int)notFound.StatusCode, $"'{path}': {(int)notFound.StatusCode}");
        }

        // The service's own port has no Runtime API any more: the old per-function paths are unknown operations, and
        // no function appears for the names they carry.
        foreach (var name in new[] { "order-flow", "order-flow~1-0123abcd", "made-up-1", "made-up-2" })
        {
            using var old = await test.Http.GetAsync($"runtime-api/{name}/2018-06-01/runtime/invocation/next");
            Assert.Equal(404, (int)old.StatusCode);
        }

        Assert.Equal(before, (await test.GetJsonAsync("local/functions")).GetArrayLength());

        using var initError = await runtime.PostAsync("2018-06-01/runtime/init/error",
            new StringContent("{\"errorMessage\":\"bad config\",\"errorType\":\"Runtime.ConfigError\"}"));
        Assert.Equal(202, (int)initError.StatusCode);
        var functions = await test.GetJsonAsync("local/functions");
        var flow = functions.EnumerateArray().Single(f => f.GetProperty("Name").GetString() == "order-flow");
        Assert.Contains("bad config", flow.GetProperty("InitError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_function_has_the_Runtime_API_at_the_root_of_its_own_host_and_port()
    {
        await using var test = await TestService.StartAsync();
        var flow = test.Service.RuntimeApiFor("order-flow");
        var echo = test.Service.RuntimeApiFor("echo");
        Assert.Matches(@"^127\.0\.0\.1:[0-9]{1,5}$", flow);
        Assert.Matches(@"^127\.0\.0\.1:[0-9]{1,5}$", echo);
        Assert.NotEqual(flow, echo);
        Assert.NotEqual(test.Service.BaseAddress.Authority, flow);
        Assert.Equal(flow, test.Service.RuntimeApiFor("order-flow"));

        // What a runtime interface client does with it: split host and port, poll the root path.
        using var function = new FakeFunction(test, "echo");
        var call = test.Http.PostAsync("2015-03-31/functions/echo/invocations", new StringContent("{\"n\":1}", Encoding.UTF8, "application/json"));
        var invocation = await function.NextAsync();
        var (host, port) = (echo.Split(':')[0], int.Parse(echo.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        using var client = new HttpClient { BaseAddress = new UriBuilder("http", host, port).Uri };
        using (var response = await client.PostAsync($"/2018-06-01/runtime/invocation/{Uri.EscapeDataString(invocation.RequestId)}/response",
                   new StringContent("{\"n\":2}")))
        {
            Assert.Equal(202, (int)response.StatusCode);
        }

        using var answer = await call;
        Assert.Equal("{\"n\":2}", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_invocation_of_an_execution_carries_its_one_trace_root_and_a_parent_of_its_own()
    {
        await using var test = await TestService.StartAsync();
        using var workflow = new FakeFunction(test, "order-flow");
        using var echo = new FakeFunction(test, "echo");
        var arn = await test.StartExecutionAsync();
        var first = await workflow.NextAsync();
        await workflow.CheckpointAsync(arn, first.Envelope.CheckpointToken!,
            """[{"Id":"inv1","Type":"CHAINED_INVOKE","Action":"START","Name":"call","SubType":"ChainedInvoke","Payload":"1","ChainedInvokeOptions":{"FunctionName":"echo"}}]""");
        Assert.Equal(202, await workflow.RespondAsync(first.RequestId, FakeFunction.Pending));
        var call = await echo.NextAsync();
        Assert.Equal(202, await echo.RespondAsync(call.RequestId, "2"));
        var second = await workflow.NextAsync();
        await test.StartExecutionAsync(name: "another");
        var other = await workflow.NextAsync();

        // A tracer puts all of an execution's invocations in one trace only if Lambda gives them one X-Ray Root.
        static (string Root, string Parent) Header(FakeInvocation invocation)
        {
            var fields = invocation.Response.Headers.GetValues("Lambda-Runtime-Trace-Id").Single().Split(';')
                .Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
            Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", fields["Root"]);
            Assert.Matches("^[0-9a-f]{16}$", fields["Parent"]);
            return (fields["Root"], fields["Parent"]);
        }

        Assert.Equal(Header(first).Root, Header(second).Root);
        Assert.NotEqual(Header(first).Parent, Header(second).Parent);
        Assert.NotEqual(Header(first).Root, Header(other).Root);
    }

    [Fact]
    public async Task A_sandbox_port_refuses_a_web_page_as_the_service_does()
    {
        await using var test = await TestService.StartAsync();
        var echo = test.Service.RuntimeApiFor("echo");
        using var client = new HttpClient { BaseAddress = new Uri("http://" + echo) };

        // DNS rebinding: the page's own name resolves to 127.0.0.1, so its request carries that name as Host.
        using (var rebound = new HttpRequestMessage(HttpMethod.Get, "/2018-06-01/runtime/invocation/next"))
        {
            rebound.Headers.Host = "attacker.example:" + echo.Split(':')[1];
            using var response = await client.SendAsync(rebound);
            Assert.Equal(403, (int)response.StatusCode);
        }

        // A cross-origin post a browser sends without a preflight.
        using (var posted = new HttpRequestMessage(HttpMethod.Post, "/2018-06-01/runtime/init/error"))
        {
            posted.Headers.Add("Origin", "https://attacker.example");
            posted.Content = new StringContent("{}", Encoding.UTF8, "text/plain");
            using var response = await client.SendAsync(posted);
            Assert.Equal(403, (int)response.StatusCode);
        }

        var functions = await test.GetJsonAsync("local/functions");
        var function = functions.EnumerateArray().Single(f => f.GetProperty("Name").GetString() == "echo");
        Assert.True(!function.TryGetProperty("InitError", out var initError) || initError.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_process_that_exits_mid_invocation_is_a_Runtime_ExitError_and_is_restarted()
    {
        if (!File.Exists("/bin/bash"))
        {
            return;
        }

        // Takes the invocation from /next, then exits with status 7 without answering.
        const string script = """
            api="$AWS_LAMBDA_RUNTIME_API"
            echo "crashy runtime api: $api"
            exec 3<>"/dev/tcp/${api%:*}/${api#*:}"
            printf 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$api" >&3
            read -r status <&3; status="${status%$'\r'}"
            echo "crashy got: $status $_HANDLER $AWS_LAMBDA_FUNCTION_NAME"
            exit 7
            """;
        await using var test = await TestService.StartAsync(options =>
        {
            var crashy = new FunctionDefinition { Name = "crashy", Command = "/bin/bash", Handler = "crashy-handler" };
            crashy.Arguments.Add("-c");
            crashy.Arguments.Add(script);
            options.Functions.Add(crashy);
        });
        var arn = await test.StartExecutionAsync(function: "crashy");
        await TestService.EventuallyAsync(async () =>
            (await test.HistoryAsync(arn)).Count(e => e.GetProperty("EventType").GetString() == "InvocationCompleted") >= 2,
            "two crashed invocations");
        var completed = (await test.HistoryAsync(arn)).First(e => e.GetProperty("EventType").GetString() == "InvocationCompleted");
        var error = completed.GetProperty("InvocationCompletedDetails").GetProperty("Error").GetProperty("Payload");
        Assert.Equal("Runtime.ExitError", error.GetProperty("ErrorType").GetString());
        Assert.Contains("exit status 7", error.GetProperty("ErrorMessage").GetString(), StringComparison.Ordinal);
        lock (test.Output)
        {
            Assert.Contains(test.Output, line => line.StartsWith("[crashy] crashy got: HTTP/1.1 200 OK", StringComparison.Ordinal)
                                                 && line.EndsWith("crashy-handler crashy", StringComparison.Ordinal));
        }
        var functions = await test.GetJsonAsync("local/functions");
        Assert.True(functions.EnumerateArray().Single(f => f.GetProperty("Name").GetString() == "crashy")
            .GetProperty("ProcessStarts").GetInt32() >= 2);

        // Every start had a Runtime API of its own at the root of a new port, exactly host:port; the ports of the
        // starts that exited are closed, so a process of an earlier start reaches nothing.
        List<string> apis;
        lock (test.Output)
        {
            apis = test.Output.Where(l => l.StartsWith("[crashy] crashy runtime api: ", StringComparison.Ordinal))
                .Select(l => l["[crashy] crashy runtime api: ".Length..]).ToList();
        }

        Assert.True(apis.Count >= 2, string.Join(", ", apis));
        Assert.All(apis, api => Assert.Matches(@"^127\.0\.0\.1:[0-9]{1,5}$", api));
        Assert.Equal(apis.Count, apis.Distinct().Count());
        using var stale = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => stale.GetAsync($"http://{apis[0]}/2018-06-01/runtime/invocation/next"));
    }
}
