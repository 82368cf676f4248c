using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>Callback ids over HTTP: opaque (nothing of the execution in them), refused when altered, and still valid
/// after the service restarts on the same SQLite database.</summary>
public sealed class CallbackIdTests : IDisposable
{
    private const string CallbackStart =
        "[{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"Name\":\"approval\",\"SubType\":\"Callback\",\"CallbackOptions\":{\"TimeoutSeconds\":3600}}]";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "durablegen-callback-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_callback_id_issued_before_a_restart_completes_the_callback_after_it()
    {
        var database = Path.Combine(_directory, "executions.db");
        string arn;
        string callbackId;
        await using (var first = await TestService.StartAsync(o => o.DatabasePath = database))
        {
            using var function = new FakeFunction(first, "order-flow");
            arn = await first.StartExecutionAsync();
            var invocation = await function.NextAsync();
            var checkpoint = await function.CheckpointAsync(arn, invocation.Envelope.CheckpointToken!, CallbackStart);
            callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
            Assert.Equal(202, await function.RespondAsync(invocation.RequestId, FakeFunction.Pending));

            var decoded = Encoding.Latin1.GetString(Convert.FromBase64String(callbackId));
            Assert.DoesNotContain(arn[(arn.LastIndexOf('/') + 1)..], decoded, StringComparison.Ordinal);
            Assert.DoesNotContain("cb1", decoded, StringComparison.Ordinal);

            // One character changed: a well-formed id the service did not issue.
            var altered = (callbackId[5] == 'A' ? "B" : "A") is var c ? callbackId[..5] + c + callbackId[6..] : callbackId;
            await AwsAssert.ErrorAsync(await first.Http.PostAsync(
                $"2025-12-01/durable-execution-callbacks/{ServiceApi.Escape(altered)}/heartbeat", null), 404, ErrorCodes.ResourceNotFound);
        }

        await using var second = await TestService.StartAsync(o => o.DatabasePath = database);
        using var restarted = new FakeFunction(second, "order-flow");
        using var success = await second.Http.PostAsync($"2025-12-01/durable-execution-callbacks/{ServiceApi.Escape(callbackId)}/succeed",
            new ByteArrayContent("{\"approved\":true}"u8.ToArray()));
        Assert.True(success.IsSuccessStatusCode, await success.Content.ReadAsStringAsync());
        var next = await restarted.NextAsync();
        Assert.Equal("{\"approved\":true}",
            next.Envelope.InitialExecutionState!.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.Result);
        Assert.Equal(202, await restarted.RespondAsync(next.RequestId, FakeFunction.Succeeded("\"done\"")));
        Assert.Equal("SUCCEEDED", (await second.WaitClosedAsync(arn)).GetProperty("Status").GetString());
    }
}
