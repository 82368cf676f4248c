using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Client.Tests;

[JsonSerializable(typeof(string))]
internal sealed partial class HostTestJson : JsonSerializerContext;

/// <summary>
/// A generated-style function under <see cref="DurableLambdaHost"/> with no service client configured: it reaches the
/// durable APIs through <see cref="LambdaDurableServiceClient"/>, found from the Lambda environment alone.
/// </summary>
public sealed class LambdaHostTests
{
    [Fact]
    public async Task With_no_configuration_the_host_checkpoints_through_the_Lambda_client()
    {
        await using var service = await FakeLambdaService.StartAsync();
        var posted = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = 0;
        service.Fallback = request =>
        {
            if (request.Path == "/2018-06-01/runtime/invocation/next")
            {
                if (Interlocked.Increment(ref delivered) == 1)
                {
                    var envelope = $$$"""
                        {"DurableExecutionArn":"{{{Wire.Arn}}}","CheckpointToken":"dG9rLTA=",
                         "InitialExecutionState":{"Operations":[{"Id":"0f4e6c1a","Type":"EXECUTION","Status":"STARTED",
                           "StartTimestamp":1767225600000,"ExecutionDetails":{"InputPayload":"\"ada\""}}],"NextMarker":""}}
                        """;
                    return new Answer(200, envelope, new Dictionary<string, string>
                    {
                        ["Lambda-Runtime-Aws-Request-Id"] = "req-1",
                        ["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds().ToString(),
                        ["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:order-flow:7",
                    });
                }

                Thread.Sleep(200); // nothing more to do: keep the long poll slow until the test stops the host
                return new Answer(500, "{}");
            }

            if (request.Path.EndsWith("/response", StringComparison.Ordinal) || request.Path.EndsWith("/error", StringComparison.Ordinal))
            {
                posted.TrySetResult(request);
                return new Answer(202, "{}");
            }

            return Answer.Json("""{"CheckpointToken":"dG9rLTE=","NewExecutionState":{"Operations":[]}}""");
        };

        var registration = new DurableWorkflowRegistration("order-flow", "Tests.OrderFlow", (input, context, client, options) =>
            DurableFunction.WrapAsync<string, string>(async (name, ctx) =>
                await ctx.StepAsync((_, _) => Task.FromResult($"hello {name}"), "greet"),
                input, context, client, new DurableExecutionOptions { Serializer = new JsonDurableSerializer(HostTestJson.Default) }));
        var env = new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL_LAMBDA"] = service.Endpoint.ToString(),
            ["AWS_ACCESS_KEY_ID"] = Wire.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = Wire.SecretKey,
            ["AWS_SESSION_TOKEN"] = Wire.SessionToken,
        };
        using var stop = new CancellationTokenSource();
        var log = new StringWriter();
        var run = DurableLambdaHost.RunAsync([registration], new DurableLambdaHostOptions
        {
            RuntimeApi = service.Endpoint.Authority,
            Environment = name => env.TryGetValue(name, out var value) ? value : null,
            Log = log,
        }, stop.Token);

        var result = await posted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Path.EndsWith("/response", StringComparison.Ordinal), $"{result.Path}: {result.BodyText}\n{log}");
        var output = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal("SUCCEEDED", output.GetProperty("Status").GetString());
        Assert.Equal("\"hello ada\"", output.GetProperty("Result").GetString());

        var checkpoints = service.Requests.Where(r => r.Path.Contains("/checkpoint", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(checkpoints);
        Assert.All(checkpoints, c => Assert.Equal($"/2025-12-01/durable-executions/{Wire.EncodedArn}/checkpoint", c.RawTarget));
        Assert.Contains("\"CheckpointToken\":\"dG9rLTA=\"", checkpoints[0].BodyText);
        Assert.Contains(checkpoints, c => c.BodyText.Contains("\"Name\":\"greet\"", StringComparison.Ordinal));
        Assert.All(checkpoints, c =>
        {
            var auth = SigV4Verifier.Verify(c, Wire.SecretKey);
            Assert.Equal("lambda", auth.Service);
            Assert.Equal(Wire.SessionToken, c.Header("X-Amz-Security-Token"));
        });
    }
}
