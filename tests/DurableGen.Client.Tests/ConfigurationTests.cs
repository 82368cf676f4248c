using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Client.Tests;

/// <summary>Endpoint, region and credential resolution from the environment, and the encodings.</summary>
public sealed class ConfigurationTests
{
    private static Func<string, string?> Env(Dictionary<string, string> values) =>
        name => values.TryGetValue(name, out var value) ? value : null;

    [Fact]
    public void The_default_endpoint_is_the_regional_lambda_endpoint()
    {
        using var client = new LambdaDurableServiceClient(new DurableClientOptions
        {
            Environment = Env(new() { ["AWS_REGION"] = "eu-west-1" }),
        });

        Assert.Equal(new Uri("https://lambda.eu-west-1.amazonaws.com"), client.Endpoint);
        Assert.Equal("eu-west-1", client.Region);
    }

    [Fact]
    public void China_regions_use_their_own_suffix()
    {
        using var client = new LambdaDurableServiceClient(new DurableClientOptions
        {
            Environment = Env(new() { ["AWS_DEFAULT_REGION"] = "cn-north-1" }),
        });

        Assert.Equal(new Uri("https://lambda.cn-north-1.amazonaws.com.cn"), client.Endpoint);
    }

    [Fact]
    public void The_lambda_endpoint_variable_wins_over_the_generic_one()
    {
        using var client = new LambdaDurableServiceClient(new DurableClientOptions
        {
            Environment = Env(new()
            {
                ["AWS_REGION"] = "us-west-2",
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1111",
                ["AWS_ENDPOINT_URL_LAMBDA"] = "http://127.0.0.1:2222",
            }),
        });

        Assert.Equal(new Uri("http://127.0.0.1:2222"), client.Endpoint);
        Assert.Equal("us-west-2", client.Region);
    }

    [Fact]
    public void The_generic_endpoint_variable_is_used_and_the_region_defaults()
    {
        using var client = new DurableExecutionClient(new DurableClientOptions
        {
            Environment = Env(new() { ["AWS_ENDPOINT_URL"] = "http://localhost:9014" }),
        });

        Assert.Equal(new Uri("http://localhost:9014"), client.Endpoint);
        Assert.Equal("us-east-1", client.Region);
    }

    [Fact]
    public void Without_region_or_endpoint_the_client_cannot_be_created()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LambdaDurableServiceClient(new DurableClientOptions
        {
            Environment = _ => null,
        }));

        Assert.Contains("AWS_REGION", error.Message);
    }

    [Fact]
    public void A_malformed_endpoint_variable_is_reported()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LambdaDurableServiceClient(new DurableClientOptions
        {
            Environment = Env(new() { ["AWS_ENDPOINT_URL_LAMBDA"] = "not a url" }),
        }));

        Assert.Contains("AWS_ENDPOINT_URL_LAMBDA", error.Message);
    }

    [Fact]
    public async Task Lambda_environment_credentials_sign_with_the_session_token()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new LambdaDurableServiceClient(new DurableClientOptions
        {
            Environment = Env(new()
            {
                ["AWS_REGION"] = "eu-central-1",
                ["AWS_ENDPOINT_URL_LAMBDA"] = service.Endpoint.ToString(),
                ["AWS_ACCESS_KEY_ID"] = "ASIAENVEXAMPLE",
                ["AWS_SECRET_ACCESS_KEY"] = "env-secret",
                ["AWS_SESSION_TOKEN"] = "env-token",
            }),
        });

        await client.GetExecutionStateAsync(new GetDurableExecutionStateRequest { DurableExecutionArn = Wire.Arn, CheckpointToken = "t" });

        var request = service.Single();
        Assert.Equal("env-token", request.Header("X-Amz-Security-Token"));
        var auth = SigV4Verifier.Verify(request, "env-secret");
        Assert.Equal("ASIAENVEXAMPLE", auth.AccessKey);
        Assert.Equal("eu-central-1", auth.Region);
        Assert.Equal("lambda", auth.Service);
    }

    [Fact]
    public async Task A_loopback_endpoint_without_credentials_is_called_unsigned()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(new DurableClientOptions
        {
            Environment = Env(new() { ["AWS_ENDPOINT_URL_LAMBDA"] = service.Endpoint.ToString() }),
        });

        await client.SendCallbackHeartbeatAsync(Wire.CallbackId);

        var request = service.Single();
        Assert.Null(request.Header("Authorization"));
        Assert.Null(request.Header("X-Amz-Date"));
        Assert.StartsWith("durablegen/", request.Header("User-Agent"));
    }

    [Fact]
    public async Task The_user_agent_suffix_follows_the_product()
    {
        await using var service = await FakeLambdaService.StartAsync();
        using var client = new DurableExecutionClient(new DurableClientOptions
        {
            Endpoint = service.Endpoint, Unsigned = true, UserAgentSuffix = "app/order-approver", Environment = _ => null,
        });

        await client.SendCallbackHeartbeatAsync(Wire.CallbackId);

        Assert.Matches(@"^durablegen/\S+ lang/dotnet#\S+ app/order-approver$", service.Single().Header("User-Agent"));
    }

    [Theory]
    [InlineData(Wire.Arn, Wire.EncodedArn)]
    [InlineData(Wire.CallbackId, Wire.EncodedCallbackId)]
    [InlineData("a b!*'()$&=;,@ü", "a%20b%21%2A%27%28%29%24%26%3D%3B%2C%40%C3%BC")]
    [InlineData("AZaz09-_.~", "AZaz09-_.~")]
    public void Labels_encode_everything_but_unreserved_characters(string value, string encoded) =>
        Assert.Equal(encoded, AwsEncoding.Label(value));

    [Fact]
    public void Labels_longer_than_the_stack_buffer_encode_whole()
    {
        Assert.Equal(string.Concat(Enumerable.Repeat("%C3%A9", 400)), AwsEncoding.Label(new string('\u00e9', 400)));
        var unreserved = new string('a', 2_000);
        Assert.Equal(unreserved, AwsEncoding.Label(unreserved));
        Assert.Equal(string.Concat(Enumerable.Repeat("a%2F", 300)), AwsEncoding.Label(string.Concat(Enumerable.Repeat("a/", 300))));
    }

    [Fact]
    public void Query_timestamps_are_ISO_8601_UTC_with_milliseconds_only_when_set()
    {
        Assert.Equal("2026-01-01T00:00:00Z", AwsEncoding.Timestamp(Wire.Now));
        Assert.Equal("2026-01-02T03:04:05.678Z",
            AwsEncoding.Timestamp(new DateTimeOffset(2026, 1, 2, 5, 4, 5, 678, TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData(400, "InvalidParameterValueException", """{"message":"Invalid Checkpoint Token: stale"}""", "InvalidParameterValueException", true)]
    [InlineData(500, null, "", "Unknown", false)]
    [InlineData(429, null, "", "TooManyRequestsException", false)]
    [InlineData(400, null, """{"code":"ValidationException","message":"x"}""", "ValidationException", false)]
    public void Error_envelopes_map_to_codes(int status, string? header, string body, string code, bool stale)
    {
        var error = AwsRestTransport.MapError(status, header, System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(stale, error.IsStaleCheckpointToken);
    }

    [Fact]
    public void Retry_classification_covers_throttling_and_server_faults_only()
    {
        Assert.True(AwsRestTransport.IsRetryable(new DurableServiceException("TooManyRequestsException", 429, "")));
        Assert.True(AwsRestTransport.IsRetryable(new DurableServiceException("ServiceException", 500, "")));
        Assert.True(AwsRestTransport.IsRetryable(new DurableServiceException("Unknown", 503, "")));
        Assert.False(AwsRestTransport.IsRetryable(new DurableServiceException("KMSNotFoundException", 502, "")));
        Assert.False(AwsRestTransport.IsRetryable(new DurableServiceException("ResourceNotFoundException", 404, "")));
        Assert.False(AwsRestTransport.IsRetryable(new DurableServiceException("InvalidParameterValueException", 400, "Invalid Checkpoint Token")));
    }

    /// <summary>Protocol §1.7: the AWS SDKs retry 500, 502, 503 and 504 (and throttling), no other 5xx.</summary>
    [Theory]
    [InlineData("Unknown", 500, true)]
    [InlineData("Unknown", 502, true)]
    [InlineData("Unknown", 504, true)]
    [InlineData("ThrottlingException", 400, true)]
    [InlineData("Unknown", 501, false)]
    [InlineData("Unknown", 505, false)]
    [InlineData("Unknown", 599, false)]
    public void Retry_classification_follows_the_sdks_transient_statuses(string code, int status, bool retryable) =>
        Assert.Equal(retryable, AwsRestTransport.IsRetryable(new DurableServiceException(code, status, "")));
}
