using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>The dashboard's execution timeline, live updates, deep links, list and "Waiting on people" in Debian's
/// headless chromium (js/dashboard-views.mjs), on a real service whose function is played by the test (so the
/// checkpoints, and their timing, are exactly the ones asserted).</summary>
public sealed class DashboardTimelineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_timeline_nests_operations_shows_retries_and_invocations_updates_live_and_survives_a_reload()
    {
        await NodeScripts.RequireChromiumAsync();
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync("{\"orderId\":\"tl-1\"}", name: "retry-and-parallel");

        // Invocation 1: a parallel of two branches, one step each; the second branch's step fails and is retried.
        var first = await function.NextAsync();
        var token = first.Envelope.CheckpointToken!;
        token = await CheckpointAsync(function, arn, token,
            """
            [{"Id":"par","Type":"CONTEXT","Action":"START","Name":"fan-out","SubType":"Parallel"},
             {"Id":"b1","ParentId":"par","Type":"CONTEXT","Action":"START","Name":"branch-1","SubType":"ParallelBranch"},
             {"Id":"b2","ParentId":"par","Type":"CONTEXT","Action":"START","Name":"branch-2","SubType":"ParallelBranch"},
             {"Id":"s1","ParentId":"b1","Type":"STEP","Action":"START","Name":"charge","SubType":"Step"},
             {"Id":"s2","ParentId":"b2","Type":"STEP","Action":"START","Name":"reserve","SubType":"Step"}]
            """);
        token = await CheckpointAsync(function, arn, token,
            """
            [{"Id":"s1","ParentId":"b1","Type":"STEP","Action":"SUCCEED","Name":"charge","SubType":"Step","Payload":"{\"charged\":42}"},
             {"Id":"b1","ParentId":"par","Type":"CONTEXT","Action":"SUCCEED","Name":"branch-1","SubType":"ParallelBranch","Payload":"{\"charged\":42}"}]
            """);
        await CheckpointAsync(function, arn, token,
            """
            [{"Id":"s2","ParentId":"b2","Type":"STEP","Action":"RETRY","Name":"reserve","SubType":"Step",
              "Error":{"ErrorType":"WarehouseTimeout","ErrorMessage":"the warehouse did not answer","StackTrace":["at Reserve() in Flow.cs:line 12"]},
              "StepOptions":{"NextAttemptDelaySeconds":1}}]
            """);
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));

        // Invocation 2 (after the retry delay): the retried step succeeds, the parallel closes.
        var second = await function.NextAsync();
        token = await CheckpointAsync(function, arn, second.Envelope.CheckpointToken!,
            """[{"Id":"s2","ParentId":"b2","Type":"STEP","Action":"START","Name":"reserve","SubType":"Step"}]""");
        token = await CheckpointAsync(function, arn, token,
            """
            [{"Id":"s2","ParentId":"b2","Type":"STEP","Action":"SUCCEED","Name":"reserve","SubType":"Step","Payload":"{\"reserved\":true}"},
             {"Id":"b2","ParentId":"par","Type":"CONTEXT","Action":"SUCCEED","Name":"branch-2","SubType":"ParallelBranch","Payload":"{\"reserved\":true}"},
             {"Id":"par","Type":"CONTEXT","Action":"SUCCEED","Name":"fan-out","SubType":"Parallel","Payload":"[{\"charged\":42},{\"reserved\":true}]"}]
            """);

        // Live: the page is open on the execution's deep link; the script checkpoints the next step itself and times
        // how long its bar takes to appear without a reload.
        var shots = Artifacts.Screenshots;
        var live = await RunAsync("live", test.Service.BaseAddress.ToString(), arn, shots, token,
            """[{"Id":"notify","Type":"STEP","Action":"START","Name":"notify","SubType":"Step"}]""", "notify");
        Assert.DoesNotContain(live.GetProperty("before").GetProperty("rows").EnumerateArray(), r => r.GetProperty("id").GetString() == "notify");
        var appeared = live.GetProperty("appearedMs").GetInt32();
        output.WriteLine($"the new bar appeared {appeared} ms after its checkpoint was sent");
        Assert.True(appeared < 2000, $"the new operation's bar took {appeared} ms to appear");
        var runningRows = live.GetProperty("after").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal("STARTED", runningRows.Single(r => r.GetProperty("id").GetString() == "notify").GetProperty("status").GetString());
        Assert.Contains(live.GetProperty("after").GetProperty("bands").EnumerateArray(), b => b.GetString() == "2"); // the invocation in flight
        Assert.Empty(live.GetProperty("pageErrors").EnumerateArray());

        token = live.GetProperty("token").GetString()!;
        await CheckpointAsync(function, arn, token,
            """[{"Id":"notify","Type":"STEP","Action":"SUCCEED","Name":"notify","SubType":"Step","Payload":"\"sent\""}]""");
        Assert.Equal(202, await function.RespondAsync(second.RequestId, FakeFunction.Succeeded("{\"order\":\"tl-1\"}")));
        Assert.Equal("SUCCEEDED", (await test.WaitClosedAsync(arn)).GetProperty("Status").GetString());
        await test.StartExecutionAsync("{\"orderId\":\"tl-2\"}", name: "another-order");

        var finished = await RunAsync("finished", test.Service.BaseAddress.ToString(), arn, shots, "s2");

        // One row and one bar per operation record, each under its parent, the parent above it.
        var operations = test.Service.Engine.GetOperations(arn);
        var rows = finished.GetProperty("timeline").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(operations.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(1, r.GetProperty("bars").GetInt32()));
        var ids = rows.Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(operations.Select(o => o.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        var execution = operations.Single(o => o.Type == OperationType.Execution).Id;
        Assert.Equal(new[] { execution, "par", "b1", "s1", "b2", "s2", "notify" }, ids);
        var depth = rows.ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("depth").GetInt32());
        foreach (var operation in operations.Where(o => o.Type != OperationType.Execution))
        {
            var row = rows.Single(r => r.GetProperty("id").GetString() == operation.Id);
            Assert.Equal(operation.ParentId ?? "", row.GetProperty("parent").GetString());
            Assert.Equal(depth[operation.ParentId ?? execution] + 1, row.GetProperty("depth").GetInt32());
            Assert.True(ids.IndexOf(operation.ParentId ?? execution) < ids.IndexOf(operation.Id), $"{operation.Id} is above its parent");
            Assert.Equal("SUCCEEDED", row.GetProperty("status").GetString());
        }

        // Invocation bands: one per InvocationCompleted event of the engine's history.
        var history = await test.HistoryAsync(arn);
        var invocations = history.Count(e => e.GetProperty("EventType").GetString() == "InvocationCompleted");
        Assert.Equal(2, invocations);
        Assert.Equal(Enumerable.Range(1, invocations).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            finished.GetProperty("timeline").GetProperty("bands").EnumerateArray().Select(b => b.GetString()));

        // The retried step: two attempts (the first failed and was retried after a delay), status text says so, and
        // its detail shows the error with its stack, the pretty result and its events.
        var reserve = rows.Single(r => r.GetProperty("id").GetString() == "s2");
        Assert.Equal(new[] { "RETRY", "SUCCEEDED" }, reserve.GetProperty("attempts").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(1, reserve.GetProperty("delays").GetInt32());
        Assert.Equal("SUCCEEDED ×2", reserve.GetProperty("statusText").GetString());
        Assert.True(reserve.GetProperty("selected").GetBoolean());
        var detail = finished.GetProperty("detail");
        Assert.Equal("reserve", detail.GetProperty("title").GetString());
        Assert.Contains("WarehouseTimeout", detail.GetProperty("attempts")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("{\n  \"reserved\": true\n}", detail.GetProperty("result").GetString());
        Assert.Equal(new[] { "StepStarted", "StepFailed", "StepStarted", "StepSucceeded" },
            detail.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        // The deep link opens the same view after a reload.
        Assert.EndsWith("/operations/s2", finished.GetProperty("reloadedUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(finished.GetProperty("detail").ToString(), finished.GetProperty("reloaded").GetProperty("detail").ToString());
        Assert.Equal(finished.GetProperty("timeline").ToString(), finished.GetProperty("reloaded").GetProperty("timeline").ToString());

        // Keyboard: ArrowUp + Enter from the reserve step selects the row above it (branch-2), and the URL follows.
        Assert.Equal("b2", finished.GetProperty("keyboardSelected").GetString());
        Assert.EndsWith("/operations/b2", finished.GetProperty("keyboardUrl").GetString(), StringComparison.Ordinal);

        // The list: filtered by status (counts per status), and searched by name, with the filter in the URL.
        var succeeded = finished.GetProperty("succeededList");
        Assert.Equal(arn, Assert.Single(succeeded.GetProperty("rows").EnumerateArray()).GetProperty("arn").GetString());
        Assert.Equal("SUCCEEDED 1", succeeded.GetProperty("counts").GetProperty("SUCCEEDED").GetString());
        Assert.Equal("RUNNING 1", succeeded.GetProperty("counts").GetProperty("RUNNING").GetString());
        Assert.Equal("All 2", succeeded.GetProperty("counts").GetProperty("ALL").GetString());
        Assert.Equal(arn, Assert.Single(finished.GetProperty("searchedList").GetProperty("rows").EnumerateArray()).GetProperty("arn").GetString());
        Assert.Contains("q=retry-and-par", finished.GetProperty("searchUrl").GetString(), StringComparison.Ordinal);
        Assert.Empty(finished.GetProperty("pageErrors").EnumerateArray());

        // Started from the form (its page opened), then stopped from that page.
        var formArn = Assert.Single(test.Service.Engine.ListExecutions("order-flow", executionName: "from-the-form")).DurableExecutionArn;
        Assert.EndsWith("#/executions/" + Uri.EscapeDataString(formArn), finished.GetProperty("startedUrl").GetString(), StringComparison.Ordinal);
        var stopped = await test.GetExecutionAsync(formArn);
        Assert.Equal("STOPPED", stopped.GetProperty("Status").GetString());
        Assert.Equal("{\"orderId\":\"form-1\"}", stopped.GetProperty("InputPayload").GetString());

        foreach (var name in new[] { "dashboard-running.png", "dashboard-finished.png", "dashboard-list.png" })
        {
            AssertPng(Path.Combine(shots, name));
        }
    }

    [Fact]
    public async Task Waiting_on_people_counts_down_refuses_invalid_json_and_completes_the_callback()
    {
        await NodeScripts.RequireChromiumAsync();
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync("{\"orderId\":\"cb-1\"}", name: "needs-approval");
        var first = await function.NextAsync();
        var checkpoint = await function.CheckpointAsync(arn, first.Envelope.CheckpointToken!,
            """[{"Id":"cb1","Type":"CALLBACK","Action":"START","Name":"manager-approval","SubType":"Callback","CallbackOptions":{"TimeoutSeconds":3600,"HeartbeatTimeoutSeconds":600}}]""");
        var callbackId = checkpoint.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));

        var listed = Assert.Single((await test.GetJsonAsync("local/callbacks")).GetProperty("Callbacks").EnumerateArray());
        Assert.Equal(callbackId, listed.GetProperty("CallbackId").GetString());

        var shots = Artifacts.Screenshots;
        var page = await RunAsync("callbacks", test.Service.BaseAddress.ToString(), callbackId, shots, "{\"approved\":true,\"by\":\"chromium\"}");

        // Both deadlines count down (timeout 1 h, heartbeat 10 min) on the page.
        var countdowns = page.GetProperty("countdowns").EnumerateArray().Select(c => c.GetString()!).ToList();
        var later = page.GetProperty("countdownsLater").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.StartsWith("59 m", countdowns[0], StringComparison.Ordinal);
        Assert.StartsWith("9 m", countdowns[1], StringComparison.Ordinal);
        Assert.NotEqual(countdowns, later);

        // Invalid JSON is refused by the page, valid JSON completes the callback.
        Assert.StartsWith("Not valid JSON, nothing sent", page.GetProperty("invalid").GetString(), StringComparison.Ordinal);
        Assert.Equal("true", page.GetProperty("invalidMarked").GetString());
        Assert.Equal("succeed: sent", page.GetProperty("sent").GetString());
        Assert.Equal(0, page.GetProperty("rowsAfter").GetInt32());
        Assert.Empty(page.GetProperty("pageErrors").EnumerateArray());

        // The execution finishes with the page's result.
        var second = await function.NextAsync();
        Assert.Equal("{\"approved\":true,\"by\":\"chromium\"}",
            second.Envelope.InitialExecutionState!.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.Result);
        Assert.Equal(202, await function.RespondAsync(second.RequestId, FakeFunction.Succeeded("\"approved\"")));
        Assert.Equal("SUCCEEDED", (await test.WaitClosedAsync(arn)).GetProperty("Status").GetString());
        AssertPng(Path.Combine(shots, "dashboard-callbacks.png"));
    }

    private static async Task<string> CheckpointAsync(FakeFunction function, string arn, string token, string updates) =>
        (await function.CheckpointAsync(arn, token, updates)).CheckpointToken!;

    private async Task<JsonElement> RunAsync(params string[] args)
    {
        var (code, stdout, stderr) = await NodeScripts.Js.NodeAsync("dashboard-views.mjs", 120, args);
        Assert.True(code == 0, $"dashboard-views.mjs {args[0]} exited {code}:\n{stdout}\n{stderr}");
        output.WriteLine($"{args[0]}: {stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private void AssertPng(string path)
    {
        var png = File.ReadAllBytes(path);
        Assert.True(png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', $"{path} is not a PNG screenshot");
        output.WriteLine("screenshot: " + path);
    }
}
