using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>One invocation a fake function process took from the Runtime API.</summary>
internal sealed record FakeInvocation(string RequestId, string Body, HttpResponseMessage Response)
{
    public DurableExecutionInvocationInput Envelope =>
        JsonSerializer.Deserialize(Body, ProtocolJson.Envelope.DurableExecutionInvocationInput)!;
}

/// <summary>A function process played by the test: an HttpClient on the function's Runtime API endpoint.</summary>
internal sealed class FakeFunction : IDisposable
{
    private readonly HttpClient _runtime;
    private readonly HttpClient _service;

    public FakeFunction(TestService service, string functionName)
    {
        var api = service.Service.RuntimeApiFor(functionName);
        _runtime = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/"), Timeout = Timeout.InfiniteTimeSpan };
        _service = service.Http;
    }

    public async Task<FakeInvocation> NextAsync(int seconds = 20)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var response = await _runtime.GetAsync("runtime/invocation/next", cts.Token);
        Assert.Equal(200, (int)response.StatusCode);
        var requestId = response.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        return new FakeInvocation(requestId, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<int> RespondAsync(string requestId, string body)
    {
        using var response = await _runtime.PostAsync($"runtime/invocation/{requestId}/response",
            new StringContent(body, Encoding.UTF8, "application/json"));
        return (int)response.StatusCode;
    }

    public async Task<int> FailAsync(string requestId, string type, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"runtime/invocation/{requestId}/error")
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { errorMessage = message, errorType = type, stackTrace = new[] { "at Fake()" } }),
                Encoding.UTF8, "application/vnd.aws.lambda.error+json"),
        };
        request.Headers.Add("Lambda-Runtime-Function-Error-Type", type);
        using var response = await _runtime.SendAsync(request);
        return (int)response.StatusCode;
    }

    public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(string arn, string token, string updatesJson)
    {
        var body = $"{{\"CheckpointToken\":{JsonSerializer.Serialize(token)},\"Updates\":{updatesJson}}}";
        using var response = await _service.PostAsync($"2025-12-01/durable-executions/{Uri.EscapeDataString(arn)}/checkpoint",
            new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize(text, ProtocolJson.Rest.CheckpointDurableExecutionResponse)!;
    }

    public static string Pending => "{\"Status\":\"PENDING\"}";

    public static string Succeeded(string result) => $"{{\"Status\":\"SUCCEEDED\",\"Result\":{JsonSerializer.Serialize(result)}}}";

    public void Dispose() => _runtime.Dispose();
}
