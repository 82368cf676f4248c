using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>The dashboard rendered in Debian's headless chromium (driven by playwright-core from js/dashboard.mjs):
/// the executions list, the history timeline, and the callback form completing a real waiting callback.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string CallbackStart =
        "[{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"Name\":\"approval\",\"SubType\":\"Callback\",\"CallbackOptions\":{\"TimeoutSeconds\":3600,\"HeartbeatTimeoutSeconds\":600}}]";

    [Fact]
    public async Task Chromium_shows_the_execution_its_history_and_completes_the_callback_from_the_form()
    {
        await NodeScripts.RequireChromiumAsync();
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync("{\"orderId\":\"web-1\"}", name: "web-order");
        var first = await function.NextAsync();
        var checkpoint = await function.CheckpointAsync(arn, first.Envelope.CheckpointToken!, CallbackStart);
        var callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        var (code, stdout, stderr) = await NodeScripts.Js.NodeAsync("dashboard.mjs", 180,
            test.Service.BaseAddress.ToString(), arn, screenshot, callbackId);
        Assert.True(code == 0, $"dashboard.mjs exited {code}:\n{stdout}\n{stderr}");
        output.WriteLine("screenshot: " + screenshot);
        using var document = System.Text.Json.JsonDocument.Parse(stdout);
        var page = document.RootElement;

        // The executions list: one row for the execution, with its function, name and (then) status.
        var row = Assert.Single(page.GetProperty("rows").EnumerateArray());
        Assert.Equal(arn, row.GetProperty("arn").GetString());
        var cells = row.GetProperty("cells").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal("order-flow", cells[0]);
        Assert.Equal("web-order", cells[1]);
        Assert.Equal("RUNNING", cells[2]);
        Assert.Contains(arn, page.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // The timeline shows the engine's events, in order, ending with the callback the form completed.
        var events = page.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToList();
        var engine = (await test.HistoryAsync(arn)).Select(e => e.GetProperty("EventType").GetString()).ToList();
        Assert.Equal(new[] { "ExecutionStarted", "CallbackStarted", "InvocationCompleted", "CallbackSucceeded" }, events);
        Assert.Equal(engine.Take(events.Count), events);
        Assert.Equal("succeed: sent", page.GetProperty("callback").GetProperty("message").GetString());
        Assert.Empty(page.GetProperty("pageErrors").EnumerateArray());

        // The callback really completed: the function is invoked again with the form's result, and the execution ends.
        var second = await function.NextAsync();
        Assert.Equal("{\"approved\":true,\"approver\":\"chromium\"}",
            second.Envelope.InitialExecutionState!.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.Result);
        Assert.Equal(202, await function.RespondAsync(second.RequestId, FakeFunction.Succeeded("\"ok\"")));
        await TestService.EventuallyAsync(async () => await test.StatusAsync(arn) == "SUCCEEDED", "the execution to succeed");

        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "not a PNG screenshot");
    }
}
