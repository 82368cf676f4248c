using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Client.Tests;

/// <summary>DurableExecutionClient: callbacks, Invoke, Get, History, List and Stop on the wire.</summary>
public sealed class ExecutionClientTests
{
    [Fact]
    public async Task Callback_success_sends_the_raw_result_with_the_id_percent_encoded_in_the_path()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackSuccessAsync(Wire.CallbackId, """{"approved":true,"approver":"kim"}""");

        var request = service.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2025-12-01/durable-execution-callbacks/{Wire.EncodedCallbackId}/succeed", request.RawTarget);
        Assert.Equal("application/octet-stream", request.Header("Content-Type"));
        Assert.Equal("34", request.Header("Content-Length"));
        Assert.Equal("""{"approved":true,"approver":"kim"}""", request.BodyText);
        var auth = SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Equal(["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"], auth.SignedHeaders);
        Assert.Contains("scDKyYALNFBYar5cCaxe%252B%252BM4WDLkqQKp65dhnx%252FCoDZK", SigV4Verifier.CanonicalUri(request.Path));
    }

    [Fact]
    public async Task Padded_callback_ids_encode_the_equals_sign()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackHeartbeatAsync("ab+/cd==");

        Assert.Equal("/2025-12-01/durable-execution-callbacks/ab%2B%2Fcd%3D%3D/heartbeat", service.Single().RawTarget);
        SigV4Verifier.Verify(service.Single(), Wire.SecretKey);
    }

    [Fact]
    public async Task Callback_success_without_a_result_sends_an_empty_body()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackSuccessAsync(Wire.CallbackId, (string?)null);

        var request = service.Single();
        Assert.Empty(request.Body);
        Assert.Equal("0", request.Header("Content-Length"));
        Assert.Null(request.Header("Content-Type"));
        SigV4Verifier.Verify(request, Wire.SecretKey);
    }

    [Fact]
    public async Task Callback_success_accepts_raw_bytes()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackSuccessRawAsync(Wire.CallbackId, [0x00, 0xFF, 0x7B]);

        Assert.Equal(new byte[] { 0x00, 0xFF, 0x7B }, service.Single().Body);
        SigV4Verifier.Verify(service.Single(), Wire.SecretKey);
    }

    [Fact]
    public async Task Callback_failure_sends_the_bare_error_object()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackFailureAsync(Wire.CallbackId,
            new ErrorObject { ErrorType = "Rejected", ErrorMessage = "manager declined", ErrorData = """{"reason":"budget"}""" });

        var request = service.Single();
        Assert.Equal($"/2025-12-01/durable-execution-callbacks/{Wire.EncodedCallbackId}/fail", request.RawTarget);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("""{"ErrorType":"Rejected","ErrorMessage":"manager declined","ErrorData":"{\"reason\":\"budget\"}"}""", request.BodyText);
        SigV4Verifier.Verify(request, Wire.SecretKey);
    }

    [Fact]
    public async Task Callback_failure_without_an_error_sends_an_empty_object()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackFailureAsync(Wire.CallbackId, null);

        Assert.Equal("{}", service.Single().BodyText);
    }

    [Fact]
    public async Task Heartbeat_has_no_body_and_no_content_type()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackHeartbeatAsync(Wire.CallbackId);

        var request = service.Single();
        Assert.Equal($"/2025-12-01/durable-execution-callbacks/{Wire.EncodedCallbackId}/heartbeat", request.RawTarget);
        Assert.Equal("0", request.Header("Content-Length"));
        Assert.Null(request.Header("Content-Type"));
        Assert.Empty(request.Body);
        var auth = SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Equal(["host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"], auth.SignedHeaders);
    }

    [Theory]
    [InlineData(404, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/", null, "ResourceNotFoundException")]
    [InlineData(400, null, "com.amazonaws.lambda#CallbackTimeoutException", "CallbackTimeoutException")]
    public async Task Callback_errors_carry_the_AWS_code_from_header_or_body(int status, string? header, string? type, string expected)
    {
        await using var service = await FakeLambdaService.StartAsync();
        var headers = header is null ? null : new Dictionary<string, string> { ["x-amzn-ErrorType"] = header };
        var body = type is null ? """{"Type":"User","Message":"Callback not found"}""" : $$"""{"__type":"{{type}}","Message":"Callback not found"}""";
        service.Fallback = _ => new Answer(status, body, headers);
        using var client = new DurableExecutionClient(Wire.Options(service));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.SendCallbackSuccessAsync(Wire.CallbackId, "1"));

        Assert.Equal(expected, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("Callback not found", error.Message);
        Assert.True(error.IsTerminal);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task An_error_named_only_in_Type_is_understood()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => new Answer(404, """{"Type":"ResourceNotFoundException","message":"Execution not found"}""");
        using var client = new DurableExecutionClient(Wire.Options(service));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.GetDurableExecutionAsync(Wire.Arn));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal("Execution not found", error.Message);
    }

    [Fact]
    public async Task Invoke_as_an_event_starts_an_execution_and_returns_its_ARN()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(new Answer(202, null, new Dictionary<string, string>
        {
            ["X-Amz-Durable-Execution-Arn"] = Wire.Arn, ["X-Amz-Executed-Version"] = "7",
        }));
        using var client = new DurableExecutionClient(Wire.Options(service));

        var response = await client.InvokeAsync(new InvokeDurableExecutionRequest
        {
            FunctionName = "order-flow", Qualifier = "7", InvocationType = DurableInvocationType.Event,
            DurableExecutionName = "order-42", Payload = """{"orderId":42}""",
        });

        var request = service.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/2015-03-31/functions/order-flow/invocations?Qualifier=7", request.RawTarget);
        Assert.Equal("Event", request.Header("X-Amz-Invocation-Type"));
        Assert.Equal("order-42", request.Header("X-Amz-Durable-Execution-Name"));
        Assert.Null(request.Header("X-Amz-Tenant-Id"));
        Assert.Equal("""{"orderId":42}""", request.BodyText);
        var auth = SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Contains("x-amz-invocation-type", auth.SignedHeaders);
        Assert.Contains("x-amz-durable-execution-name", auth.SignedHeaders);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal(Wire.Arn, response.DurableExecutionArn);
        Assert.Equal("7", response.ExecutedVersion);
        Assert.Null(response.Payload);
    }

    [Fact]
    public async Task Invoke_request_response_waits_for_the_result()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(new Answer(200, "\"shipped\"", new Dictionary<string, string> { ["X-Amz-Durable-Execution-Arn"] = Wire.Arn }));
        using var client = new DurableExecutionClient(Wire.Options(service));

        var response = await client.InvokeAsync(new InvokeDurableExecutionRequest
        {
            FunctionName = "arn:aws:lambda:us-east-1:123456789012:function:order-flow:7", TenantId = "t-1", Payload = "{}",
        });

        var request = service.Single();
        Assert.Equal("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A7/invocations",
            request.RawTarget);
        Assert.Equal("RequestResponse", request.Header("X-Amz-Invocation-Type"));
        Assert.Null(request.Header("X-Amz-Durable-Execution-Name"));
        Assert.Equal("t-1", request.Header("X-Amz-Tenant-Id"));
        SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("\"shipped\"", response.Payload);
        Assert.Equal(Wire.Arn, response.DurableExecutionArn);
        Assert.Null(response.FunctionError);
    }

    [Fact]
    public async Task Invoke_of_a_bare_name_goes_to_the_alias_arn_the_deployment_maps_it_to()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => new Answer(202, "", new Dictionary<string, string> { ["X-Amz-Durable-Execution-Arn"] = Wire.Arn });
        const string Alias = "arn:aws:lambda:us-east-1:123456789012:function:order-approver:live";
        using var client = new DurableExecutionClient(Wire.Options(service, environment: new Dictionary<string, string>
        {
            [FunctionArns.Variable] = $$"""{"order-approver":"{{Alias}}"}""",
        }));

        await client.InvokeAsync(new InvokeDurableExecutionRequest { FunctionName = "order-approver", InvocationType = DurableInvocationType.Event });
        await client.InvokeAsync(new InvokeDurableExecutionRequest { FunctionName = "order-approver", Qualifier = "3", InvocationType = DurableInvocationType.Event });
        await client.InvokeAsync(new InvokeDurableExecutionRequest { FunctionName = "other", InvocationType = DurableInvocationType.Event });

        Assert.Equal(
        [
            "/2015-03-31/functions/" + Uri.EscapeDataString(Alias) + "/invocations",
            "/2015-03-31/functions/order-approver/invocations?Qualifier=3", // an explicit qualifier wins
            "/2015-03-31/functions/other/invocations",                      // not deployed with this function: as written
        ], service.Requests.Select(r => r.RawTarget));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"a\":1}")]
    [InlineData("{")]
    public void A_malformed_function_arn_map_is_a_clear_error(string json)
    {
        var error = Assert.Throws<FormatException>(() => FunctionArns.Parse(json));
        Assert.Contains(FunctionArns.Variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_of_an_existing_name_with_other_input_is_a_conflict()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => Answer.Error(409, "DurableExecutionAlreadyStartedException", "already started", "Message");
        using var client = new DurableExecutionClient(Wire.Options(service));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.InvokeAsync(new InvokeDurableExecutionRequest
        {
            FunctionName = "order-flow", InvocationType = DurableInvocationType.Event, DurableExecutionName = "order-42",
        }));

        Assert.Equal(ErrorCodes.DurableExecutionAlreadyStarted, error.ErrorCode);
        Assert.Equal(409, error.StatusCode);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task GetDurableExecution_parses_the_execution_with_epoch_second_timestamps()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(Answer.Json($$$"""
            {"DurableExecutionArn":"{{{Wire.Arn}}}","DurableExecutionName":"order-42",
             "FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:order-flow:7","Status":"FAILED",
             "StartTimestamp":1767225600,"EndTimestamp":1767225630.5,"Version":"7",
             "Error":{"ErrorType":"Rejected","ErrorMessage":"no","StackTrace":["at A","at B"]},
             "TraceHeader":{"XAmznTraceId":"Root=1-abc"},"ExecutionDataIncluded":false,
             "DurableConfig":{"RetentionPeriodInDays":14,"ExecutionTimeout":86400}}
            """));
        using var client = new DurableExecutionClient(Wire.Options(service));

        var execution = await client.GetDurableExecutionAsync(new GetDurableExecutionRequest
        {
            DurableExecutionArn = Wire.Arn, IncludeExecutionData = false,
        });

        var request = service.Single();
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/2025-12-01/durable-executions/{Wire.EncodedArn}?IncludeExecutionData=false", request.RawTarget);
        SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("order-42", execution.DurableExecutionName);
        Assert.Equal(Wire.Now, execution.StartTimestamp);
        Assert.Equal(Wire.Now.AddSeconds(30.5), execution.EndTimestamp);
        Assert.Equal(["at A", "at B"], execution.Error!.StackTrace!);
        Assert.Equal("Root=1-abc", execution.TraceHeader!.XAmznTraceId);
        Assert.False(execution.ExecutionDataIncluded);
        Assert.Equal(86400, execution.DurableConfig!.ExecutionTimeout);
    }

    [Fact]
    public async Task History_pages_follow_the_marker()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(
            Answer.Json("""
                {"Events":[
                  {"EventType":"ExecutionStarted","EventId":1,"Id":"0f4e","Name":"order-42","EventTimestamp":1767225600.0,
                   "ExecutionStartedDetails":{"Input":{"Payload":"{\"orderId\":42}"},"ExecutionTimeout":86400}},
                  {"EventType":"StepStarted","SubType":"Step","EventId":2,"Id":"c4ca","Name":"charge-card","EventTimestamp":1767225600.123,"StepStartedDetails":{}}
                ],"NextMarker":"3+/="}
                """),
            Answer.Json("""
                {"Events":[{"EventType":"WaitSucceeded","SubType":"Wait","EventId":3,"Id":"c81e","EventTimestamp":1767225630.5,
                  "WaitSucceededDetails":{"Duration":30}}]}
                """));
        using var client = new DurableExecutionClient(Wire.Options(service));

        var events = new List<Event>();
        await foreach (var e in client.GetAllDurableExecutionHistoryAsync(new GetDurableExecutionHistoryRequest
        {
            DurableExecutionArn = Wire.Arn, IncludeExecutionData = true, MaxItems = 2, ReverseOrder = false,
        }))
        {
            events.Add(e);
        }

        Assert.Equal([1, 2, 3], events.Select(e => e.EventId));
        Assert.Equal(EventType.ExecutionStarted, events[0].EventType);
        Assert.Equal("{\"orderId\":42}", events[0].ExecutionStartedDetails!.Input!.Payload);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225600123), events[1].EventTimestamp);
        Assert.Equal(EventType.WaitSucceeded, events[2].EventType);
        var requests = service.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal($"/2025-12-01/durable-executions/{Wire.EncodedArn}/history?IncludeExecutionData=true&MaxItems=2&ReverseOrder=false",
            requests[0].RawTarget);
        Assert.Equal($"/2025-12-01/durable-executions/{Wire.EncodedArn}/history?IncludeExecutionData=true&MaxItems=2&Marker=3%2B%2F%3D&ReverseOrder=false",
            requests[1].RawTarget);
        Assert.All(requests, r => SigV4Verifier.Verify(r, Wire.SecretKey));
    }

    [Fact]
    public async Task List_sends_every_filter_in_the_query_and_pages()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(
            Answer.Json($$"""
                {"DurableExecutions":[{"DurableExecutionArn":"{{Wire.Arn}}","DurableExecutionName":"order-42",
                  "FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:order-flow:7","Status":"RUNNING",
                  "StartTimestamp":1767225600.25}],"NextMarker":"p2"}
                """),
            Answer.Json("""
                {"DurableExecutions":[{"DurableExecutionArn":"arn:2","DurableExecutionName":"order-43","FunctionArn":"f",
                  "Status":"FAILED","StartTimestamp":1767225500,"EndTimestamp":1767225550,"KMSKeyArn":"k"}]}
                """));
        using var client = new DurableExecutionClient(Wire.Options(service));

        var all = new List<DurableExecutionSummary>();
        await foreach (var execution in client.ListAllDurableExecutionsByFunctionAsync(new ListDurableExecutionsByFunctionRequest
        {
            FunctionName = "order-flow", Qualifier = "7", DurableExecutionName = "order-42",
            Statuses = [ExecutionStatus.Running, ExecutionStatus.TimedOut],
            StartedAfter = Wire.Now, StartedBefore = Wire.Now.AddDays(1).AddMilliseconds(678),
            ReverseOrder = true, MaxItems = 1,
        }))
        {
            all.Add(execution);
        }

        Assert.Equal(["order-42", "order-43"], all.Select(e => e.DurableExecutionName));
        Assert.Equal(ExecutionStatus.Running, all[0].Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225600250), all[0].StartTimestamp);
        Assert.Null(all[0].EndTimestamp);
        Assert.Equal("k", all[1].KMSKeyArn);
        var requests = service.Requests;
        Assert.Equal(
            "/2025-12-01/functions/order-flow/durable-executions?Qualifier=7&DurableExecutionName=order-42&Statuses=RUNNING&Statuses=TIMED_OUT"
            + "&StartedAfter=2026-01-01T00%3A00%3A00Z&StartedBefore=2026-01-02T00%3A00%3A00.678Z&ReverseOrder=true&MaxItems=1",
            requests[0].RawTarget);
        Assert.Contains("&Marker=p2&MaxItems=1", requests[1].RawTarget);
        Assert.All(requests, r => SigV4Verifier.Verify(r, Wire.SecretKey));
    }

    [Fact]
    public async Task Stop_sends_the_bare_error_and_parses_the_stop_time()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(Answer.Json("""{"StopTimestamp":1767225660.75}"""), Answer.Json("""{"StopTimestamp":1767225661}"""));
        using var client = new DurableExecutionClient(Wire.Options(service));

        var stopped = await client.StopDurableExecutionAsync(new StopDurableExecutionRequest
        {
            DurableExecutionArn = Wire.Arn, Error = new ErrorObject { ErrorMessage = "operator stop" },
        });
        await client.StopDurableExecutionAsync(new StopDurableExecutionRequest { DurableExecutionArn = Wire.Arn });

        var requests = service.Requests;
        Assert.Equal($"/2025-12-01/durable-executions/{Wire.EncodedArn}/stop", requests[0].RawTarget);
        Assert.Equal("""{"ErrorMessage":"operator stop"}""", requests[0].BodyText);
        Assert.Equal("application/json", requests[0].Header("Content-Type"));
        Assert.Equal("{}", requests[1].BodyText);
        Assert.All(requests, r => SigV4Verifier.Verify(r, Wire.SecretKey));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225660750), stopped.StopTimestamp);
    }

    [Fact]
    public async Task The_typed_extension_serializes_the_result_before_sending_it()
    {
        await using var service = await FakeLambdaService.StartAsync();
        IDurableCallbackClient client = new DurableExecutionClient(Wire.Options(service));

        await client.SendCallbackSuccessAsync(Wire.CallbackId, "plain text");

        Assert.Equal("plain text", Encoding.UTF8.GetString(service.Single().Body));
        ((IDisposable)client).Dispose();
    }
}
