using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The official AWS JS client (@aws-sdk/client-lambda from npm, pinned in js/package.json), unchanged, with
/// the local service as its endpoint and dummy credentials: each call is <c>node js/lambda-client.mjs</c>.</summary>
public sealed class JsClientTests
{
    private const string CallbackStart =
        "[{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"Name\":\"approval\",\"SubType\":\"Callback\",\"CallbackOptions\":{\"TimeoutSeconds\":3600,\"HeartbeatTimeoutSeconds\":600}}]";

    private static async Task<JsonElement> CallAsync(TestService test, string operation, object input)
    {
        var endpoint = test.Service.BaseAddress.ToString().TrimEnd('/');
        return await NodeScripts.Js.NodeJsonAsync("lambda-client.mjs", 120, endpoint, operation, JsonSerializer.Serialize(input));
    }

    private static JsonElement Ok(JsonElement outcome, string what)
    {
        Assert.True(outcome.GetProperty("ok").GetBoolean(), $"{what}: {outcome}");
        return outcome.GetProperty("output");
    }

    private static void TypedError(JsonElement outcome, string name, int status, string what)
    {
        Assert.False(outcome.GetProperty("ok").GetBoolean(), $"{what} should fail: {outcome}");
        Assert.True(name == outcome.GetProperty("name").GetString(), $"{what}: expected {name}: {outcome}");
        Assert.Equal(status, outcome.GetProperty("status").GetInt32());
        Assert.Equal(status >= 500 ? "server" : "client", outcome.GetProperty("fault").GetString());
        Assert.True(outcome.GetProperty("typed").GetBoolean(), $"{what}: not the client's modeled exception class: {outcome}");
    }

    [Fact]
    public async Task The_official_JS_client_reads_executions_and_completes_a_waiting_callback()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync("{\"orderId\":\"js-1\"}", name: "js-order");
        var first = await function.NextAsync();
        var checkpoint = await function.CheckpointAsync(arn, first.Envelope.CheckpointToken!, CallbackStart);
        var callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));

        // GetDurableExecution
        var execution = Ok(await CallAsync(test, "GetDurableExecution", new { DurableExecutionArn = arn }), "GetDurableExecution");
        Assert.Equal(arn, execution.GetProperty("DurableExecutionArn").GetString());
        Assert.Equal("js-order", execution.GetProperty("DurableExecutionName").GetString());
        Assert.Equal("RUNNING", execution.GetProperty("Status").GetString());
        Assert.Equal("{\"orderId\":\"js-1\"}", execution.GetProperty("InputPayload").GetString());
        var started = (await test.GetExecutionAsync(arn)).GetProperty("StartTimestamp").GetDouble();
        Assert.Equal(started * 1000, execution.GetProperty("StartTimestamp").GetDouble(), 0);

        // GetDurableExecutionHistory: the same events as the engine's API reports, in order.
        var engineEvents = await test.HistoryAsync(arn);
        var history = Ok(await CallAsync(test, "GetDurableExecutionHistory", new { DurableExecutionArn = arn, IncludeExecutionData = true }),
            "GetDurableExecutionHistory");
        var jsEvents = history.GetProperty("Events").EnumerateArray().ToList();
        Assert.Equal(engineEvents.Select(e => e.GetProperty("EventType").GetString()),
            jsEvents.Select(e => e.GetProperty("EventType").GetString()));
        Assert.Equal(engineEvents.Select(e => e.GetProperty("EventId").GetInt32()), jsEvents.Select(e => e.GetProperty("EventId").GetInt32()));
        Assert.Equal(callbackId, jsEvents.Single(e => e.GetProperty("EventType").GetString() == "CallbackStarted")
            .GetProperty("CallbackStartedDetails").GetProperty("CallbackId").GetString());

        // History paging through the client's Marker.
        var page = Ok(await CallAsync(test, "GetDurableExecutionHistory", new { DurableExecutionArn = arn, MaxItems = 1 }), "history page");
        Assert.Single(page.GetProperty("Events").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(page.GetProperty("NextMarker").GetString()));

        // ListDurableExecutionsByFunction, with a status filter.
        var list = Ok(await CallAsync(test, "ListDurableExecutionsByFunction",
            new { FunctionName = "order-flow", Statuses = new[] { "RUNNING" } }), "ListDurableExecutionsByFunction");
        var listed = Assert.Single(list.GetProperty("DurableExecutions").EnumerateArray());
        Assert.Equal(arn, listed.GetProperty("DurableExecutionArn").GetString());
        var none = Ok(await CallAsync(test, "ListDurableExecutionsByFunction",
            new { FunctionName = "order-flow", Statuses = new[] { "SUCCEEDED" } }), "ListDurableExecutionsByFunction SUCCEEDED");
        Assert.Empty(none.GetProperty("DurableExecutions").EnumerateArray());

        // Heartbeat, then success on the real waiting callback (the Result is the client's blob).
        Ok(await CallAsync(test, "SendDurableExecutionCallbackHeartbeat", new { CallbackId = callbackId }), "heartbeat");
        Ok(await CallAsync(test, "SendDurableExecutionCallbackSuccess", new { CallbackId = callbackId, Result = "{\"approved\":true}" }),
            "SendDurableExecutionCallbackSuccess");

        // The function is invoked again with the callback's result and finishes: the execution succeeds.
        var second = await function.NextAsync();
        var callback = second.Envelope.InitialExecutionState!.Operations!.Single(o => o.Id == "cb1");
        Assert.Equal("{\"approved\":true}", callback.CallbackDetails!.Result);
        Assert.Equal(202, await function.RespondAsync(second.RequestId, FakeFunction.Succeeded("{\"status\":\"APPROVED\"}")));
        await TestService.EventuallyAsync(async () => await test.StatusAsync(arn) == "SUCCEEDED", "the execution to succeed");

        var done = Ok(await CallAsync(test, "GetDurableExecution", new { DurableExecutionArn = arn }), "GetDurableExecution after");
        Assert.Equal("SUCCEEDED", done.GetProperty("Status").GetString());
        Assert.Equal("{\"status\":\"APPROVED\"}", done.GetProperty("Result").GetString());
        Assert.True(done.TryGetProperty("EndTimestamp", out _), done.ToString());
        var finalHistory = Ok(await CallAsync(test, "GetDurableExecutionHistory", new { DurableExecutionArn = arn, IncludeExecutionData = true }),
            "history after");
        var succeeded = finalHistory.GetProperty("Events").EnumerateArray().Single(e => e.GetProperty("EventType").GetString() == "CallbackSucceeded");
        Assert.Equal("{\"approved\":true}",
            succeeded.GetProperty("CallbackSucceededDetails").GetProperty("Result").GetProperty("Payload").GetString());
        Assert.Equal((await test.HistoryAsync(arn)).Count, finalHistory.GetProperty("Events").GetArrayLength());

        // Errors come back as the client's typed exceptions with the service's name and status.
        TypedError(await CallAsync(test, "SendDurableExecutionCallbackSuccess", new { CallbackId = callbackId, Result = "{}" }),
            "CallbackTimeoutException", 400, "success on a closed callback");
        TypedError(await CallAsync(test, "SendDurableExecutionCallbackSuccess", new { CallbackId = "not*a*callback", Result = "{}" }),
            "InvalidParameterValueException", 400, "success on a malformed callback id");
        var unknown = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            "{\"arn\":\"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/a/b\",\"op\":\"x\",\"n\":\"1\"}"));
        TypedError(await CallAsync(test, "SendDurableExecutionCallbackFailure",
                new { CallbackId = unknown, Error = new { ErrorType = "Rejected", ErrorMessage = "no" } }),
            "ResourceNotFoundException", 404, "failure on an unknown callback");
        TypedError(await CallAsync(test, "GetDurableExecution",
                new { DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:order-flow:$LATEST/durable-execution/x/y" }),
            "ResourceNotFoundException", 404, "an unknown execution");
    }

    [Fact]
    public async Task The_official_JS_client_stops_an_execution_and_fails_a_callback()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var first = await function.NextAsync();
        var checkpoint = await function.CheckpointAsync(arn, first.Envelope.CheckpointToken!, CallbackStart);
        var callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));

        Ok(await CallAsync(test, "SendDurableExecutionCallbackFailure",
            new { CallbackId = callbackId, Error = new { ErrorType = "Rejected", ErrorMessage = "not approved" } }), "callback failure");
        var failed = (await test.HistoryAsync(arn)).Single(e => e.GetProperty("EventType").GetString() == "CallbackFailed");
        var error = failed.GetProperty("CallbackFailedDetails").GetProperty("Error").GetProperty("Payload");
        Assert.Equal("Rejected", error.GetProperty("ErrorType").GetString());
        Assert.Equal("not approved", error.GetProperty("ErrorMessage").GetString());

        var stop = Ok(await CallAsync(test, "StopDurableExecution",
            new { DurableExecutionArn = arn, Error = new { ErrorType = "Operator", ErrorMessage = "enough" } }), "StopDurableExecution");
        Assert.Equal(JsonValueKind.Number, stop.GetProperty("StopTimestamp").ValueKind);
        var stopped = Ok(await CallAsync(test, "GetDurableExecution", new { DurableExecutionArn = arn }), "GetDurableExecution stopped");
        Assert.Equal("STOPPED", stopped.GetProperty("Status").GetString());
        Assert.Equal("enough", stopped.GetProperty("Error").GetProperty("ErrorMessage").GetString());
        Assert.Equal("STOPPED", await test.StatusAsync(arn));

        TypedError(await CallAsync(test, "StopDurableExecution", new { DurableExecutionArn = "not-an-arn" }),
            "InvalidParameterValueException", 400, "stop with a malformed arn");
    }
}
