using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests.Hosting;

/// <summary>
/// The host kit's in-process HTTP handler answers errors with the same body as the local service
/// (<see cref="AwsErrorBody"/>): <c>Message</c> as well as <c>message</c> for the errors whose model spells it so.
/// </summary>
public sealed class EngineHttpHandlerTests
{
    [Theory]
    [InlineData(CheckpointFault.ServerError, ErrorCodes.Service, 500, true)]
    [InlineData(CheckpointFault.Throttled, ErrorCodes.TooManyRequests, 429, false)]
    public async Task An_injected_fault_is_answered_with_the_services_error_body(CheckpointFault fault, string code, int status,
        bool capitalized)
    {
        var engine = new DurableExecutionEngine(new InMemoryExecutionStore(), new VirtualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Payload = "{}" });
        var invocation = engine.TryBeginInvocation()!;
        using var client = new HttpClient(new EngineHttpHandler(engine, new InvocationFaults(1, _ => fault), invocation,
            () => Task.CompletedTask));

        using var response = await client.PostAsync(new Uri("http://engine/2025-12-01/durable-executions/x/checkpoint"),
            new StringContent($$"""{"CheckpointToken":"{{invocation.Input.CheckpointToken}}","Updates":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, body.RootElement.GetProperty("__type").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
        Assert.Equal(capitalized, body.RootElement.TryGetProperty("Message", out _));
        Assert.Equal(AwsErrorBody.Serialize(code, status, body.RootElement.GetProperty("message").GetString()!),
            await response.Content.ReadAsByteArrayAsync());
    }
}
