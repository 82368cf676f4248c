using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The nine durable REST APIs and Invoke over a real socket: shapes, members and AWS errors.</summary>
public sealed class RestApiTests
{
    private const string CallbackStart =
        "[{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"Name\":\"approval\",\"SubType\":\"Callback\",\"CallbackOptions\":{\"TimeoutSeconds\":3600,\"HeartbeatTimeoutSeconds\":600}}]";

    [Fact]
    public async Task Invoke_Event_starts_an_execution_that_get_list_and_history_report()
    {
        await using var test = await TestService.StartAsync();
        var arn = await test.StartExecutionAsync("{\"orderId\":\"o-7\"}", name: "order-7");
        Assert.Matches("^arn:aws:lambda:us-east-1:123456789012:function:order-flow:\\$LATEST/durable-execution/order-7/", arn);

        var execution = await test.GetExecutionAsync(arn);
        Assert.Equal("RUNNING", execution.GetProperty("Status").GetString());
        Assert.Equal("order-7", execution.GetProperty("DurableExecutionName").GetString());
        Assert.Equal("{\"orderId\":\"o-7\"}", execution.GetProperty("InputPayload").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, execution.GetProperty("StartTimestamp").ValueKind);

        var withoutData = await test.GetJsonAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}?IncludeExecutionData=false");
        Assert.False(withoutData.TryGetProperty("InputPayload", out _));
        Assert.False(withoutData.GetProperty("ExecutionDataIncluded").GetBoolean());

        var list = await test.GetJsonAsync("2025-12-01/functions/order-flow/durable-executions?Statuses=RUNNING&Statuses=FAILED");
        var item = Assert.Single(list.GetProperty("DurableExecutions").EnumerateArray());
        Assert.Equal(arn, item.GetProperty("DurableExecutionArn").GetString());
        Assert.Equal("RUNNING", item.GetProperty("Status").GetString());
        var none = await test.GetJsonAsync("2025-12-01/functions/order-flow/durable-executions?Statuses=SUCCEEDED");
        Assert.Empty(none.GetProperty("DurableExecutions").EnumerateArray());

        var history = await test.HistoryAsync(arn);
        Assert.Equal("ExecutionStarted", history[0].GetProperty("EventType").GetString());

        // Same name, same payload: the existing execution; different payload: 409.
        Assert.Equal(arn, await test.StartExecutionAsync("{\"orderId\":\"o-7\"}", name: "order-7"));
        using var conflict = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/order-flow/invocations")
        {
            Content = new StringContent("{\"orderId\":\"other\"}", Encoding.UTF8, "application/json"),
        };
        conflict.Headers.Add("X-Amz-Invocation-Type", "Event");
        conflict.Headers.Add("X-Amz-Durable-Execution-Name", "order-7");
        await AwsAssert.ErrorAsync(await test.Http.SendAsync(conflict), 409, "DurableExecutionAlreadyStartedException");
    }

    [Fact]
    public async Task Checkpoint_state_callbacks_and_stop_follow_the_protocol()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var invocation = await function.NextAsync();
        var envelope = invocation.Envelope;
        Assert.Equal(arn, envelope.DurableExecutionArn);

        var checkpoint = await function.CheckpointAsync(arn, envelope.CheckpointToken!, CallbackStart);
        var callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        Assert.Matches("^[A-Za-z0-9+/]+={0,2}$", callbackId);

        // The consumed token is stale now: the prefix every SDK matches.
        using (var stale = await test.Http.PostAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}/checkpoint",
                   new StringContent($"{{\"CheckpointToken\":\"{envelope.CheckpointToken}\",\"Updates\":[]}}", Encoding.UTF8, "application/json")))
        {
            var message = await AwsAssert.ErrorAsync(stale, 400, "InvalidParameterValueException");
            Assert.StartsWith("Invalid Checkpoint Token", message, StringComparison.Ordinal);
        }

        // GetDurableExecutionState with the current token (query-encoded, + and / and = kept).
        var state = await test.GetJsonAsync(
            $"2025-12-01/durable-executions/{TestService.Escape(arn)}/state?CheckpointToken={TestService.Escape(checkpoint.CheckpointToken!)}&MaxItems=1");
        Assert.Equal("EXECUTION", state.GetProperty("Operations")[0].GetProperty("Type").GetString());
        Assert.True(state.TryGetProperty("NextMarker", out _));

        await test.PostJsonAsync($"2025-12-01/durable-execution-callbacks/{TestService.Escape(callbackId)}/heartbeat", "");
        using (var success = await test.Http.PostAsync($"2025-12-01/durable-execution-callbacks/{TestService.Escape(callbackId)}/succeed",
                   new ByteArrayContent("{\"approved\":true}"u8.ToArray())))
        {
            Assert.Equal(200, (int)success.StatusCode);
        }

        var events = await test.HistoryAsync(arn);
        var succeeded = events.Single(e => e.GetProperty("EventType").GetString() == "CallbackSucceeded");
        Assert.Equal("{\"approved\":true}",
            succeeded.GetProperty("CallbackSucceededDetails").GetProperty("Result").GetProperty("Payload").GetString());

        // Closed callback: CallbackTimeoutException.
        using (var again = await test.Http.PostAsync($"2025-12-01/durable-execution-callbacks/{TestService.Escape(callbackId)}/fail",
                   new StringContent("{\"ErrorMessage\":\"no\"}", Encoding.UTF8, "application/json")))
        {
            await AwsAssert.ErrorAsync(again, 400, "CallbackTimeoutException");
        }

        var stop = await test.PostJsonAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}/stop",
            "{\"ErrorMessage\":\"enough\",\"ErrorType\":\"Operator\"}");
        Assert.Equal(System.Text.Json.JsonValueKind.Number, stop.GetProperty("StopTimestamp").ValueKind);
        var stopped = await test.GetExecutionAsync(arn);
        Assert.Equal("STOPPED", stopped.GetProperty("Status").GetString());
        Assert.Equal("enough", stopped.GetProperty("Error").GetProperty("ErrorMessage").GetString());

        // The in-flight invocation's token stops working.
        using var fenced = await test.Http.PostAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}/checkpoint",
            new StringContent($"{{\"CheckpointToken\":\"{checkpoint.CheckpointToken}\"}}", Encoding.UTF8, "application/json"));
        Assert.StartsWith("Invalid Checkpoint Token", await AwsAssert.ErrorAsync(fenced, 400, "InvalidParameterValueException"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_while_an_invocation_runs_ends_the_history_with_the_stop_at_every_read()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var invocation = await function.NextAsync();
        await function.CheckpointAsync(arn, invocation.Envelope.CheckpointToken!,
            """[{"Id":"s1","Type":"STEP","Action":"START","Name":"slow","SubType":"Step"}]""");

        var stop = await test.PostJsonAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}/stop", "{}");
        var stoppedAt = stop.GetProperty("StopTimestamp").GetDouble();

        // The function is still in its step: the history is already final, the invocation closed at the stop.
        Assert.Equal("STOPPED", await test.StatusAsync(arn));
        var atStop = await test.HistoryAsync(arn);
        Assert.Equal(new[] { "ExecutionStarted", "StepStarted", "InvocationCompleted", "ExecutionStopped" }, Types(atStop));
        var completed = atStop[2].GetProperty("InvocationCompletedDetails");
        Assert.Equal(invocation.RequestId, completed.GetProperty("RequestId").GetString());
        Assert.Equal(stoppedAt, completed.GetProperty("EndTimestamp").GetDouble());
        Assert.Equal(stoppedAt, atStop[3].GetProperty("EventTimestamp").GetDouble());

        // Its late answer changes nothing: no second InvocationCompleted, nothing after the stop, no result.
        await Task.Delay(50);
        await function.RespondAsync(invocation.RequestId, FakeFunction.Succeeded("\"late\""));
        await Task.Delay(200);
        var after = await test.HistoryAsync(arn);
        Assert.Equal(Types(atStop), Types(after));
        var times = after.Select(e => e.GetProperty("EventTimestamp").GetDouble()).ToList();
        Assert.Equal(times.Order(), times);
        var execution = await test.GetExecutionAsync(arn);
        Assert.Equal("STOPPED", execution.GetProperty("Status").GetString());
        Assert.False(execution.TryGetProperty("Result", out _));

        static string?[] Types(System.Collections.Generic.List<System.Text.Json.JsonElement> events) =>
            events.Select(e => e.GetProperty("EventType").GetString()).ToArray();
    }

    [Fact]
    public async Task Callback_failure_with_an_empty_body_and_history_paging()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var envelope = (await function.NextAsync()).Envelope;
        var checkpoint = await function.CheckpointAsync(arn, envelope.CheckpointToken!, CallbackStart);
        var callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        await test.PostJsonAsync($"2025-12-01/durable-execution-callbacks/{TestService.Escape(callbackId)}/fail", "{}");
        var failed = (await test.HistoryAsync(arn)).Single(e => e.GetProperty("EventType").GetString() == "CallbackFailed");
        Assert.False(failed.GetProperty("CallbackFailedDetails").GetProperty("Error").TryGetProperty("Payload", out _));

        var page = await test.GetJsonAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}/history?MaxItems=1&ReverseOrder=true");
        Assert.Equal("CallbackFailed", page.GetProperty("Events")[0].GetProperty("EventType").GetString());
        var next = page.GetProperty("NextMarker").GetString();
        var second = await test.GetJsonAsync($"2025-12-01/durable-executions/{TestService.Escape(arn)}/history?MaxItems=1&ReverseOrder=true&Marker={next}");
        Assert.Equal("CallbackStarted", second.GetProperty("Events")[0].GetProperty("EventType").GetString());
    }

    [Theory]
    [InlineData("GET", "2025-12-01/durable-executions/not-an-arn", 400, "InvalidParameterValueException")]
    [InlineData("GET", "2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A%24LATEST%2Fdurable-execution%2Fx%2Fy", 404, "ResourceNotFoundException")]
    [InlineData("GET", "2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A%24LATEST%2Fdurable-execution%2Fx%2Fy/history", 404, "ResourceNotFoundException")]
    [InlineData("GET", "2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A%24LATEST%2Fdurable-execution%2Fx%2Fy/history?MaxItems=abc", 400, "InvalidParameterValueException")]
    [InlineData("GET", "2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A%24LATEST%2Fdurable-execution%2Fx%2Fy/history?ReverseOrder=yes", 400, "InvalidParameterValueException")]
    [InlineData("GET", "2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A%24LATEST%2Fdurable-execution%2Fx%2Fy/state", 400, "InvalidParameterValueException")]
    [InlineData("POST", "2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A%24LATEST%2Fdurable-execution%2Fx%2Fy/stop", 404, "ResourceNotFoundException")]
    [InlineData("POST", "2025-12-01/durable-execution-callbacks/not*base64/succeed", 400, "InvalidParameterValueException")]
    [InlineData("POST", "2025-12-01/durable-execution-callbacks/bm90LWpzb24%3D/succeed", 400, "InvalidParameterValueException")]
    [InlineData("POST", "2025-12-01/durable-execution-callbacks/eyJhcm4iOiJhcm46YXdzOmxhbWJkYTp1cy1lYXN0LTE6MTIzNDU2Nzg5MDEyOmZ1bmN0aW9uOmY6JExBVEVTVC9kdXJhYmxlLWV4ZWN1dGlvbi9hL2IiLCJvcCI6IngiLCJuIjoiMSJ9/heartbeat", 404, "ResourceNotFoundException")]
    [InlineData("GET", "2025-12-01/functions/bad%20name/durable-executions", 400, "InvalidParameterValueException")]
    [InlineData("GET", "2025-12-01/functions/order-flow/durable-executions?Statuses=DONE", 400, "InvalidParameterValueException")]
    [InlineData("GET", "2025-12-01/functions/order-flow/durable-executions?StartedAfter=yesterday", 400, "InvalidParameterValueException")]
    [InlineData("POST", "2015-03-31/functions/no-such-function/invocations", 404, "ResourceNotFoundException")]
    [InlineData("GET", "2025-12-01/nothing-here", 404, "UnknownOperationException")]
    [InlineData("DELETE", "2025-12-01/durable-executions/x/stop", 404, "UnknownOperationException")]
    public async Task Bad_requests_get_the_AWS_error_code_and_status(string method, string path, int status, string code)
    {
        await using var test = await TestService.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new ByteArrayContent(Array.Empty<byte>());
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        await AwsAssert.ErrorAsync(await test.Http.SendAsync(request), status, code);
    }

    [Fact]
    public async Task Bodies_with_the_wrong_content_type_size_or_syntax_are_rejected()
    {
        await using var test = await TestService.StartAsync();
        var arn = await test.StartExecutionAsync();
        var path = $"2025-12-01/durable-executions/{TestService.Escape(arn)}";

        await AwsAssert.ErrorAsync(await test.Http.PostAsync(path + "/checkpoint",
            new StringContent("CheckpointToken=x", Encoding.UTF8, "application/x-www-form-urlencoded")), 415, "UnsupportedMediaTypeException");
        await AwsAssert.ErrorAsync(await test.Http.PostAsync(path + "/checkpoint",
            new StringContent("{not json", Encoding.UTF8, "application/json")), 400, "InvalidParameterValueException");
        await AwsAssert.ErrorAsync(await test.Http.PostAsync(path + "/checkpoint",
            new StringContent("{}", Encoding.UTF8, "application/json")), 400, "InvalidParameterValueException");
        await AwsAssert.ErrorAsync(await test.Http.PostAsync(path + "/stop",
            new StringContent("{\"ErrorMessage\":\"" + new string('x', 40_000) + "\"}", Encoding.UTF8, "application/json")),
            400, "InvalidParameterValueException");

        await AwsAssert.ErrorAsync(await test.Http.PostAsync("2015-03-31/functions/order-flow/invocations",
            new StringContent("{broken", Encoding.UTF8, "application/json")), 400, "InvalidRequestContentException");
        await AwsAssert.ErrorAsync(await test.Http.PostAsync("2015-03-31/functions/order-flow/invocations",
            new ByteArrayContent(new byte[6 * 1024 * 1024 + 10])), 413, "RequestTooLargeException");
        using var badType = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/order-flow/invocations")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        badType.Headers.Add("X-Amz-Invocation-Type", "Sometimes");
        await AwsAssert.ErrorAsync(await test.Http.SendAsync(badType), 400, "InvalidParameterValueException");
        using var badName = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/order-flow/invocations")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        badName.Headers.Add("X-Amz-Invocation-Type", "Event");
        badName.Headers.Add("X-Amz-Durable-Execution-Name", "has spaces");
        await AwsAssert.ErrorAsync(await test.Http.SendAsync(badName), 400, "InvalidParameterValueException");

        // Oversized callback result (over 1 MiB) on a well-formed, unknown id: the size check comes first.
        var id = "eyJhcm4iOiJhcm46YXdzOmxhbWJkYTp1cy1lYXN0LTE6MTIzNDU2Nzg5MDEyOmZ1bmN0aW9uOmY6JExBVEVTVC9kdXJhYmxlLWV4ZWN1dGlvbi9hL2IiLCJvcCI6IngiLCJuIjoiMSJ9";
        await AwsAssert.ErrorAsync(await test.Http.PostAsync($"2025-12-01/durable-execution-callbacks/{id}/succeed",
            new ByteArrayContent(Encoding.UTF8.GetBytes(new string('a', 1024 * 1024 + 1)))), 400, "InvalidParameterValueException");

        // The service is still healthy.
        Assert.Equal("RUNNING", await test.StatusAsync(arn));
    }

    [Fact]
    public async Task Invoke_DryRun_starts_nothing()
    {
        await using var test = await TestService.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/order-flow/invocations")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "DryRun");
        using var response = await test.Http.SendAsync(request);
        Assert.Equal(204, (int)response.StatusCode);
        var list = await test.GetJsonAsync("2025-12-01/functions/order-flow/durable-executions");
        Assert.Empty(list.GetProperty("DurableExecutions").EnumerateArray());
    }
}
