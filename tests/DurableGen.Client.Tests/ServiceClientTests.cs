using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Client.Tests;

/// <summary>LambdaDurableServiceClient against a recording fake of the Lambda service: exact wire requests, SigV4
/// recomputed independently, response parsing, error mapping and retries.</summary>
public sealed class ServiceClientTests
{
    private const string CheckpointAnswer = """
        {
          "CheckpointToken": "eyJzZXEiOjF9",
          "NewExecutionState": {
            "Operations": [
              { "Id": "eccbc87e4b5ce2fe", "Name": "await-approval", "Type": "CALLBACK", "SubType": "Callback",
                "Status": "STARTED", "StartTimestamp": 1767225631.002,
                "CallbackDetails": { "CallbackId": "scDKyYALNFBYar5cCaxe++M4WDLkqQKp65dhnx/CoDZK" } },
              { "Id": "c4ca4238a0b92382", "Name": "charge-card", "Type": "STEP", "SubType": "Step", "Status": "SUCCEEDED",
                "StartTimestamp": 1767225600.123, "EndTimestamp": 1767225600.456,
                "StepDetails": { "Attempt": 1, "Result": "{\"chargeId\":\"ch_1\"}" }, "Unknown": null }
            ]
          }
        }
        """;

    private static CheckpointDurableExecutionRequest Checkpoint(string? clientToken = "5d0c6f1e-8f7a-4a53-9a0e-1b2c3d4e5f60") => new()
    {
        DurableExecutionArn = Wire.Arn,
        CheckpointToken = "eyJzZXEiOjB9",
        ClientToken = clientToken,
        Updates =
        [
            new OperationUpdate { Id = "c4ca4238a0b92382", Type = OperationType.Step, SubType = "Step", Action = OperationAction.Start, Name = "charge-card" },
            new OperationUpdate
            {
                Id = "c4ca4238a0b92382", Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed,
                Name = "charge-card", Payload = "{\"chargeId\":\"ch_1\",\"amount\":4200}",
            },
        ],
    };

    [Fact]
    public async Task Checkpoint_posts_the_exact_wire_request_signed_for_lambda()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(Answer.Json(CheckpointAnswer));
        using var client = new LambdaDurableServiceClient(Wire.Options(service));

        await client.CheckpointAsync(Checkpoint());

        var request = service.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2025-12-01/durable-executions/{Wire.EncodedArn}/checkpoint", request.RawTarget);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(request.Body.Length.ToString(), request.Header("Content-Length"));
        Assert.Equal("20260101T000000Z", request.Header("X-Amz-Date"));
        Assert.Equal(Wire.SessionToken, request.Header("X-Amz-Security-Token"));
        Assert.Matches(@"^durablegen/\d+\.\d+\.\d+\S* ", request.Header("User-Agent"));
        Assert.Equal(
            """{"CheckpointToken":"eyJzZXEiOjB9","Updates":[{"Id":"c4ca4238a0b92382","Name":"charge-card","Type":"STEP","SubType":"Step","Action":"START"},{"Id":"c4ca4238a0b92382","Name":"charge-card","Type":"STEP","SubType":"Step","Action":"SUCCEED","Payload":"{\"chargeId\":\"ch_1\",\"amount\":4200}"}],"ClientToken":"5d0c6f1e-8f7a-4a53-9a0e-1b2c3d4e5f60"}""",
            request.BodyText);

        var auth = SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Equal(Wire.AccessKey, auth.AccessKey);
        Assert.Equal("20260101", auth.Date);
        Assert.Equal("us-east-1", auth.Region);
        Assert.Equal("lambda", auth.Service);
        Assert.Equal(["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"], auth.SignedHeaders);

        // The canonical request double-encodes the already encoded ARN; the wire carries it single-encoded.
        Assert.Contains("arn%253Aaws%253Alambda%253Aus-east-1", SigV4Verifier.CanonicalUri(request.Path));
        Assert.DoesNotContain("%25", request.RawTarget);
    }

    [Fact]
    public async Task Checkpoint_with_long_term_credentials_signs_without_a_session_token()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new LambdaDurableServiceClient(Wire.Options(service, session: false));

        await client.CheckpointAsync(Checkpoint());

        var request = service.Single();
        Assert.Null(request.Header("X-Amz-Security-Token"));
        var auth = SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Equal(["content-type", "host", "x-amz-content-sha256", "x-amz-date"], auth.SignedHeaders);
    }

    [Fact]
    public async Task Checkpoint_response_parses_epoch_second_timestamps_and_the_new_token()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(Answer.Json(CheckpointAnswer));
        using var client = new LambdaDurableServiceClient(Wire.Options(service));

        var response = await client.CheckpointAsync(Checkpoint());

        Assert.Equal("eyJzZXEiOjF9", response.CheckpointToken);
        var operations = response.NewExecutionState.Operations!;
        Assert.Equal(2, operations.Count);
        Assert.Equal(OperationType.Callback, operations[0].Type);
        Assert.Equal(OperationStatus.Started, operations[0].Status);
        Assert.Equal(Wire.CallbackId, operations[0].CallbackDetails!.CallbackId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225631002), operations[0].StartTimestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225600456), operations[1].EndTimestamp);
        Assert.Equal(1, operations[1].StepDetails!.Attempt);
    }

    [Fact]
    public async Task An_empty_checkpoint_answer_reads_as_an_empty_state()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(new Answer(200));
        using var client = new LambdaDurableServiceClient(Wire.Options(service));

        var response = await client.CheckpointAsync(Checkpoint());

        Assert.Null(response.CheckpointToken);
        Assert.Null(response.NewExecutionState.Operations);
    }

    [Fact]
    public async Task A_missing_client_token_is_generated_once_and_repeated_by_every_retry()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(Answer.Error(500, "ServiceException", "boom", "Message"), Answer.Json(CheckpointAnswer));
        using var client = new LambdaDurableServiceClient(Wire.Options(service));
        var request = Checkpoint(clientToken: null);

        await client.CheckpointAsync(request);

        Assert.Null(request.ClientToken);
        var tokens = service.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("ClientToken").GetString()).ToList();
        Assert.Equal(2, tokens.Count);
        Assert.True(Guid.TryParse(tokens[0], out _));
        Assert.Equal(tokens[0], tokens[1]);
        Assert.All(service.Requests, r => Assert.Contains("\"CheckpointToken\":\"eyJzZXEiOjB9\"", r.BodyText));
    }

    [Fact]
    public async Task GetExecutionState_sends_the_token_marker_and_page_size_in_the_query()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(Answer.Json("""
            {"Operations":[{"Id":"0f4e6c1a","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1767225600,
              "ExecutionDetails":{"InputPayload":"{\"orderId\":42}"}}],"NextMarker":"m+2/=="}
            """));
        using var client = new LambdaDurableServiceClient(Wire.Options(service));

        var page = await client.GetExecutionStateAsync(new GetDurableExecutionStateRequest
        {
            DurableExecutionArn = Wire.Arn, CheckpointToken = "a+b/c=", Marker = "m 1", MaxItems = 1000,
        });

        var request = service.Single();
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/2025-12-01/durable-executions/{Wire.EncodedArn}/state?CheckpointToken=a%2Bb%2Fc%3D&Marker=m%201&MaxItems=1000",
            request.RawTarget);
        Assert.Empty(request.Body);
        Assert.Null(request.Header("Content-Type"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", request.Header("X-Amz-Content-SHA256"));
        var auth = SigV4Verifier.Verify(request, Wire.SecretKey);
        Assert.Equal(["host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"], auth.SignedHeaders);

        Assert.Equal("m+2/==", page.NextMarker);
        var execution = Assert.Single(page.Operations);
        Assert.Equal(OperationType.Execution, execution.Type);
        Assert.Equal(Wire.Now, execution.StartTimestamp);
        Assert.Equal("{\"orderId\":42}", execution.ExecutionDetails!.InputPayload);
    }

    [Fact]
    public async Task GetExecutionState_omits_unset_query_members()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(Answer.Json("""{"Operations":[]}"""));
        using var client = new LambdaDurableServiceClient(Wire.Options(service));

        await client.GetExecutionStateAsync(new GetDurableExecutionStateRequest { DurableExecutionArn = Wire.Arn, CheckpointToken = "t" });

        Assert.EndsWith("/state?CheckpointToken=t", service.Single().RawTarget);
    }

    [Fact]
    public async Task A_stale_checkpoint_token_is_a_retryable_error_and_is_not_retried_by_the_client()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => Answer.Error(400, "InvalidParameterValueException", "Invalid Checkpoint Token: token has already been used");
        using var client = new LambdaDurableServiceClient(Wire.Options(service));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.CheckpointAsync(Checkpoint()));

        Assert.Equal("InvalidParameterValueException", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Invalid Checkpoint Token: token has already been used", error.Message);
        Assert.True(error.IsStaleCheckpointToken);
        Assert.False(error.IsTerminal);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task Any_other_4xx_is_terminal_and_never_retried()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => Answer.Error(400, "InvalidParameterValueException", "Invalid action for the given operation type.");
        using var client = new LambdaDurableServiceClient(Wire.Options(service, maxAttempts: 5));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.CheckpointAsync(Checkpoint()));

        Assert.True(error.IsTerminal);
        Assert.False(error.IsStaleCheckpointToken);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task Throttling_is_retried_up_to_the_attempt_limit_then_surfaced()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => new Answer(429, """{"message":"Rate exceeded","Reason":"CallerRateLimitExceeded","Type":"User"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "TooManyRequestsException", ["Retry-After"] = "0" });
        using var client = new LambdaDurableServiceClient(Wire.Options(service, maxAttempts: 3));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.CheckpointAsync(Checkpoint()));

        Assert.Equal("TooManyRequestsException", error.ErrorCode);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal("Rate exceeded", error.Message);
        Assert.False(error.IsTerminal);
        Assert.Equal(3, service.Requests.Count);
        // Every attempt is signed afresh and carries the same body.
        Assert.All(service.Requests, r => SigV4Verifier.Verify(r, Wire.SecretKey));
        Assert.Single(service.Requests.Select(r => r.BodyText).Distinct());
    }

    [Fact]
    public async Task Server_faults_are_retried_until_an_attempt_succeeds()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(
            Answer.Error(500, "ServiceException", "internal", "Message"),
            new Answer(503, "<html>unavailable</html>"),
            Answer.Json(CheckpointAnswer));
        using var client = new LambdaDurableServiceClient(Wire.Options(service, maxAttempts: 3));

        var response = await client.CheckpointAsync(Checkpoint());

        Assert.Equal("eyJzZXEiOjF9", response.CheckpointToken);
        Assert.Equal(3, service.Requests.Count);
    }

    [Fact]
    public async Task Server_faults_beyond_the_attempt_limit_surface_as_transient_errors()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => Answer.Error(500, "ServiceException", "internal", "Message");
        using var client = new LambdaDurableServiceClient(Wire.Options(service, maxAttempts: 2));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.CheckpointAsync(Checkpoint()));

        Assert.Equal("ServiceException", error.ErrorCode);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("internal", error.Message);
        Assert.False(error.IsTerminal);
        Assert.Equal(2, service.Requests.Count);
    }

    [Fact]
    public async Task A_single_attempt_configuration_never_retries()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => Answer.Error(500, "ServiceException", "internal", "Message");
        using var client = new LambdaDurableServiceClient(Wire.Options(service, maxAttempts: 1));

        await Assert.ThrowsAsync<DurableServiceException>(() => client.CheckpointAsync(Checkpoint()));

        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task KMS_errors_are_not_retried()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Fallback = _ => Answer.Error(502, "KMSAccessDeniedException", "denied", "Message");
        using var client = new LambdaDurableServiceClient(Wire.Options(service, maxAttempts: 3));

        var error = await Assert.ThrowsAsync<DurableServiceException>(() => client.CheckpointAsync(Checkpoint()));

        Assert.Equal("KMSAccessDeniedException", error.ErrorCode);
        Assert.Equal(502, error.StatusCode);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        await using var service = await FakeLambdaService.StartAsync();
        service.Enqueue(new Answer(0, Abort: true), Answer.Json(CheckpointAnswer));
        using var client = new LambdaDurableServiceClient(Wire.Options(service));

        var response = await client.CheckpointAsync(Checkpoint());

        Assert.Equal("eyJzZXEiOjF9", response.CheckpointToken);
        Assert.Equal(2, service.Requests.Count);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_with_a_network_error_after_the_attempts()
    {
        int port;
        await using (var service = await FakeLambdaService.StartAsync())
        {
            port = service.Endpoint.Port;
        }

        using var client = new LambdaDurableServiceClient(new DurableClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"), Region = "us-east-1", Unsigned = true,
            MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1), Environment = _ => null,
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CheckpointAsync(Checkpoint()));
    }
}
