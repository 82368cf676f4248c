using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// Software nobody here wrote, run as a function on the service, unchanged: AWS's Node.js runtime interface client
/// (npm <c>aws-lambda-ric</c>, with its native addon) polling the sandbox's Runtime API, and a handler written with
/// AWS's durable execution SDK for JavaScript checkpointing through <c>AWS_ENDPOINT_URL_LAMBDA</c>. Both are pinned in
/// <c>ric/package-lock.json</c> and built once per machine by <c>tests/prerequisites.sh ric</c>.
/// </summary>
public sealed class RuntimeInterfaceClientTests(ITestOutputHelper output)
{
    /// <summary>The folder of the handler, with the cached install linked in as its node_modules.</summary>
    public static string Folder { get; } = RepositoryRoot.Combine("tests", "DurableGen.LocalService.Tests", "ric");

    /// <summary>A function run as Lambda's Node.js runtime runs one: node with the runtime interface client, the
    /// handler named by <c>_HANDLER</c>, in its code folder (<c>LAMBDA_TASK_ROOT</c>).</summary>
    public static FunctionDefinition NodeFunction(string name, string handler)
    {
        var function = new FunctionDefinition
        {
            Name = name, Command = "node", Handler = handler, WorkingDirectory = Folder, Timeout = TimeSpan.FromSeconds(60),
        };
        function.Arguments.Add(Path.Combine(Folder, "node_modules", "aws-lambda-ric", "index.mjs"));
        return function;
    }

    [Fact]
    public async Task AWS_Node_runtime_interface_client_runs_a_JS_durable_workflow_with_a_step_a_wait_and_a_callback()
    {
        await Prerequisites.EnsureRuntimeInterfaceClientAsync();
        await using var test = await TestService.StartAsync(options => options.Functions.Add(NodeFunction("js-order", "handler.handler")));
        try
        {
            var arn = await test.StartExecutionAsync("{\"orderId\":\"o-7\"}", "js-order");
            string? callbackId = null;
            await TestService.EventuallyAsync(async () =>
            {
                callbackId = (await test.HistoryAsync(arn)).Where(e => e.GetProperty("EventType").GetString() == "CallbackStarted")
                    .Select(e => e.GetProperty("CallbackStartedDetails").GetProperty("CallbackId").GetString()).FirstOrDefault();
                return callbackId is not null;
            }, "the JS workflow to start its callback", seconds: 60);

            using (var success = await test.Http.PostAsync(
                       $"2025-12-01/durable-execution-callbacks/{TestService.Escape(callbackId!)}/succeed",
                       new ByteArrayContent("{\"approved\":true}"u8.ToArray())))
            {
                Assert.Equal(200, (int)success.StatusCode);
            }

            var execution = await test.WaitClosedAsync(arn, 60);
            Assert.True("SUCCEEDED" == execution.GetProperty("Status").GetString(), execution.ToString());
            using var result = JsonDocument.Parse(execution.GetProperty("Result").GetString()!);
            Assert.Equal("rsv-o-7", result.RootElement.GetProperty("reservation").GetString());
            Assert.True(result.RootElement.GetProperty("approved").GetBoolean());

            var types = (await test.HistoryAsync(arn)).Select(e => e.GetProperty("EventType").GetString()).ToList();
            Assert.Contains("StepSucceeded", types);
            Assert.Contains("WaitSucceeded", types);
            Assert.Contains("CallbackSucceeded", types);
            Assert.Equal("ExecutionSucceeded", types[^1]);
            Assert.DoesNotContain(await test.HistoryAsync(arn), e => ServiceApi.InvocationErrorType(e) is not null);
        }
        finally
        {
            test.WriteOutputTo(output);
        }
    }
}
