using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// The service pages a history (at most 1,000 events a page); what the CLI and the dashboard show a person must be the
/// whole of it (issue 10). One execution of 560 steps (1,100+ events) is read through both.
/// </summary>
public sealed class LongHistoryTests
{
    private const int Steps = 560;

    [Fact]
    public async Task The_cli_and_the_dashboard_show_every_page_of_a_history_longer_than_the_largest_page()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync("{\"orderId\":\"long\"}", name: "long-history");
        var invocation = await function.NextAsync();
        var token = invocation.Envelope.CheckpointToken!;
        for (var first = 0; first < Steps; first += 80)
        {
            var updates = new StringBuilder("[");
            for (var i = first; i < Math.Min(first + 80, Steps); i++)
            {
                updates.Append(i == first ? "" : ",")
                    .Append($"{{\"Id\":\"s{i}\",\"Type\":\"STEP\",\"Action\":\"START\",\"Name\":\"step-{i}\",\"SubType\":\"Step\"}},")
                    .Append($"{{\"Id\":\"s{i}\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\",\"SubType\":\"Step\",\"Payload\":\"{i}\"}}");
            }

            token = (await function.CheckpointAsync(arn, token, updates.Append(']').ToString())).CheckpointToken!;
        }

        Assert.Equal(202, await function.RespondAsync(invocation.RequestId, FakeFunction.Succeeded("\"done\"")));
        await test.WaitClosedAsync(arn);
        var engine = (await test.HistoryAsync(arn)).Select(e => e.GetProperty("EventType").GetString()).ToList();
        Assert.True(engine.Count > 1000, $"the history has {engine.Count} events");
        Assert.Equal("ExecutionSucceeded", engine[^1]);

        // durablegen history --json: every event, the last page's included.
        var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet",
            [Artifacts.Cli, "history", arn, "--json", "--endpoint", test.Service.BaseAddress.ToString()], 120, "dotnet is missing");
        Assert.True(code == 0, $"durablegen history exited {code}:\n{stderr}");
        using (var cli = JsonDocument.Parse(stdout))
        {
            Assert.Equal(engine, cli.RootElement.GetProperty("Events").EnumerateArray()
                .Select(e => e.GetProperty("EventType").GetString()).ToList());
        }

        // The dashboard's timeline in headless chromium: one row per event, the last page's included.
        await NodeScripts.RequireChromiumAsync();
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard-long-history.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var page = await NodeScripts.Js.NodeJsonAsync("dashboard.mjs", 180, test.Service.BaseAddress.ToString(), arn, screenshot);
        Assert.Equal(engine, page.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToList());
    }
}
