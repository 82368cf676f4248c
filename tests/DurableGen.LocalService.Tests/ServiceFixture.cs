using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>The durable REST APIs and Invoke of a local service, over a real socket on 127.0.0.1.</summary>
internal class ServiceApi
{
    protected ServiceApi(Uri baseAddress, List<string> output)
    {
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Output = output;
    }

    public HttpClient Http { get; }

    /// <summary>What the function processes wrote, one <c>[function] line</c> each (lock it to read).</summary>
    public List<string> Output { get; }

    /// <summary>The output lines with <paramref name="prefix"/> so far.</summary>
    public int CountOutput(string prefix)
    {
        lock (Output)
        {
            return Output.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    /// <summary>Shows <see cref="Output"/> in the test's output (call it in a finally block).</summary>
    public void WriteOutputTo(ITestOutputHelper output)
    {
        lock (Output)
        {
            foreach (var line in Output)
            {
                output.WriteLine(line);
            }
        }
    }

    public static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>Invokes <paramref name="function"/> with <c>Event</c> and returns the new execution's ARN.</summary>
    public async Task<string> StartExecutionAsync(string payload = "{\"orderId\":\"o-1\"}", string function = "order-flow",
        string? name = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2015-03-31/functions/{function}/invocations")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        if (name is not null)
        {
            request.Headers.Add("X-Amz-Durable-Execution-Name", name);
        }

        using var response = await Http.SendAsync(request);
        Assert.Equal(202, (int)response.StatusCode);
        return response.Headers.GetValues("X-Amz-Durable-Execution-Arn").Single();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> PostJsonAsync(string path, string body, string contentType = "application/json")
    {
        using var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> GetExecutionAsync(string arn) => GetJsonAsync($"2025-12-01/durable-executions/{Escape(arn)}");

    /// <summary>Every history event, reading page after page until there is no <c>NextMarker</c>.</summary>
    public async Task<List<JsonElement>> HistoryAsync(string arn)
    {
        var events = new List<JsonElement>();
        string? marker = null;
        do
        {
            var page = await GetJsonAsync($"2025-12-01/durable-executions/{Escape(arn)}/history?MaxItems=1000"
                                          + (marker is null ? "" : "&Marker=" + Escape(marker)));
            events.AddRange(page.GetProperty("Events").EnumerateArray());
            marker = page.TryGetProperty("NextMarker", out var next) ? next.GetString() : null;
        }
        while (marker is not null);

        return events;
    }

    public async Task<string> StatusAsync(string arn) => (await GetExecutionAsync(arn)).GetProperty("Status").GetString()!;

    /// <summary>Polls the execution until it is no longer RUNNING and returns its description.</summary>
    public async Task<JsonElement> WaitClosedAsync(string arn, int seconds = 60)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var execution = await GetExecutionAsync(arn);
            if (execution.GetProperty("Status").GetString() != "RUNNING")
            {
                return execution;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{arn} is still RUNNING after {seconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>The <c>ErrorType</c> of an <c>InvocationCompleted</c> event that failed; null for any other event.</summary>
    public static string? InvocationErrorType(JsonElement e) =>
        e.GetProperty("EventType").GetString() == "InvocationCompleted"
        && e.GetProperty("InvocationCompletedDetails").TryGetProperty("Error", out var error)
            ? error.GetProperty("Payload").GetProperty("ErrorType").GetString()
            : null;

    /// <summary>Polls until <paramref name="condition"/> holds (20 s by default).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("Timed out waiting for " + what);
    }
}

/// <summary>A local service on a free port of 127.0.0.1, hosted in the test process, and its APIs.</summary>
internal sealed class TestService : ServiceApi, IAsyncDisposable
{
    private TestService(LocalDurableService service, List<string> output)
        : base(service.BaseAddress, output)
    {
        Service = service;
    }

    public LocalDurableService Service { get; }

    public List<string> Log { get; } = new();

    public static async Task<TestService> StartAsync(Action<LocalServiceOptions>? configure = null)
    {
        var options = new LocalServiceOptions();
        options.Functions.Add(new FunctionDefinition { Name = "order-flow" });
        options.Functions.Add(new FunctionDefinition { Name = "echo", Durable = false });
        configure?.Invoke(options);
        var log = new List<string>();
        options.Log = line => { lock (log) { log.Add(line); } };
        var output = new List<string>();
        options.FunctionOutput = (name, line) => { lock (output) { output.Add($"[{name}] {line}"); } };
        var service = new LocalDurableService(options);
        await service.StartAsync();
        var test = new TestService(service, output);
        test.Log.AddRange(log);
        return test;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Service.DisposeAsync();
    }
}

/// <summary>Asserts an AWS error response: status, <c>x-amzn-ErrorType</c>, and the body members.</summary>
internal static class AwsAssert
{
    public static async Task<string> ErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(code, response.Headers.GetValues("x-amzn-ErrorType").Single());
        using var document = JsonDocument.Parse(text);
        Assert.Equal(code, document.RootElement.GetProperty("__type").GetString());
        Assert.Equal(status >= 500 ? "Service" : "User", document.RootElement.GetProperty("Type").GetString());
        var message = document.RootElement.GetProperty("message").GetString()!;
        Assert.False(string.IsNullOrEmpty(message));
        return message;
    }
}
