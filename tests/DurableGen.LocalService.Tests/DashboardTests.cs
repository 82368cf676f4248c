using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.LocalService.Dashboard;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The dashboard's page and the JSON it reads (checked over HTTP; the page's script only calls these and the
/// REST APIs).</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task The_page_and_its_data_endpoints_are_served()
    {
        await using var test = await TestService.StartAsync();
        using var page = await test.Http.GetAsync("/");
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        var html = await page.Content.ReadAsStringAsync();
        foreach (var id in new[] { "id=\"executions\"", "id=\"history\"", "id=\"callback-form\"", "send-success", "send-failure", "/local/executions" })
        {
            Assert.Contains(id, html, System.StringComparison.Ordinal);
        }

        var arn = await test.StartExecutionAsync();
        var executions = await test.GetJsonAsync("local/executions");
        var item = Assert.Single(executions.GetProperty("DurableExecutions").EnumerateArray());
        Assert.Equal(arn, item.GetProperty("DurableExecutionArn").GetString());
        Assert.Equal("order-flow", item.GetProperty("FunctionName").GetString());

        var functions = (await test.GetJsonAsync("local/functions")).EnumerateArray().ToList();
        Assert.Contains(functions, f => f.GetProperty("Name").GetString() == "echo" && !f.GetProperty("Durable").GetBoolean());
        Assert.Contains(functions, f => f.GetProperty("RuntimeApi").GetString() == test.Service.RuntimeApiFor("order-flow"));
    }

    [Fact]
    public async Task The_execution_list_merges_functions_newest_first_and_counts_filters_and_pages_them()
    {
        await using var test = await TestService.StartAsync(o => o.Functions.Add(new FunctionDefinition { Name = "billing" }));
        var started = new List<(string Arn, string Function)>();
        foreach (var function in new[] { "order-flow", "billing", "order-flow", "billing", "order-flow" })
        {
            started.Add((await test.StartExecutionAsync(function: function), function));
            await Task.Delay(20); // a start time of its own
        }

        test.Service.Engine.StopExecution(started[0].Arn);
        test.Service.Engine.StopExecution(started[3].Arn);
        var newestFirst = started.Select(s => s.Arn).Reverse().ToList();

        async Task<(List<string> Arns, int Total, int Running, int Stopped)> ReadAsync(string query)
        {
            var list = await test.GetJsonAsync("local/executions?" + query);
            var counts = list.GetProperty("Counts");
            return (list.GetProperty("DurableExecutions").EnumerateArray().Select(e => e.GetProperty("DurableExecutionArn").GetString()!).ToList(),
                list.GetProperty("Total").GetInt32(),
                counts.TryGetProperty("RUNNING", out var running) ? running.GetInt32() : 0,
                counts.TryGetProperty("STOPPED", out var stopped) ? stopped.GetInt32() : 0);
        }

        var all = await ReadAsync("PageSize=50");
        Assert.Equal(newestFirst, all.Arns);
        Assert.Equal((5, 3, 2), (all.Total, all.Running, all.Stopped));
        var pages = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            pages.AddRange((await ReadAsync($"PageSize=2&Page={page}")).Arns);
        }

        Assert.Equal(newestFirst, pages);
        Assert.Empty((await ReadAsync("PageSize=2&Page=4")).Arns);

        var stopped = await ReadAsync("Status=STOPPED");
        Assert.Equal(new[] { started[3].Arn, started[0].Arn }, stopped.Arns);
        Assert.Equal((2, 3, 2), (stopped.Total, stopped.Running, stopped.Stopped)); // counts ignore the status filter

        var billing = await ReadAsync("FunctionName=billing");
        Assert.Equal(new[] { started[3].Arn, started[1].Arn }, billing.Arns);
        Assert.Equal((2, 1, 1), (billing.Total, billing.Running, billing.Stopped));

        var id = started[2].Arn[^12..].ToUpperInvariant(); // any case
        var searched = await ReadAsync("Search=" + id);
        Assert.Equal(new[] { started[2].Arn }, searched.Arns);
        Assert.Equal((1, 1, 0), (searched.Total, searched.Running, searched.Stopped));
    }

    [Fact]
    public async Task The_event_stream_announces_changes_and_ends_when_the_service_stops()
    {
        var test = await TestService.StartAsync();
        using var client = new HttpClient { BaseAddress = test.Service.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await client.GetAsync("local/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // The first change is sent at once (a page that reconnects reads everything again), the next on a change.
        Assert.Equal("data: 0", await NextDataAsync(reader, timeout.Token));
        var clock = Stopwatch.StartNew();
        await test.StartExecutionAsync();
        Assert.Equal("data: 1", await NextDataAsync(reader, timeout.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the change was announced after {clock.Elapsed}");

        // An open stream does not hold up the service's shutdown: it ends first.
        clock.Restart();
        await test.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the service took {clock.Elapsed} to stop with a stream open");
        Assert.True(await EndsAsync(reader, timeout.Token), "the event stream is still open after the service stopped");
    }

    [Fact]
    public async Task The_timeline_of_an_execution_that_waited_breaks_the_axis_over_the_wait_and_bands_its_invocations()
    {
        await using var test = await TestService.StartAsync();
        using var function = new FakeFunction(test, "order-flow");
        var arn = await test.StartExecutionAsync();
        var first = await function.NextAsync();
        // Four seconds, not two: the first invocation ends when this test answers for it, so the gap is the wait less
        // that answer's delay, and in a test host busy with other classes (a hundred executions starting at once) a
        // two-second wait has left a gap under the one second that makes a break.
        await function.CheckpointAsync(arn, first.Envelope.CheckpointToken!,
            """[{"Id":"w1","Type":"WAIT","Action":"START","Name":"cool-off","SubType":"Wait","WaitOptions":{"WaitSeconds":4}}]""");
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));
        var second = await function.NextAsync();
        Assert.Equal(202, await function.RespondAsync(second.RequestId, FakeFunction.Succeeded("\"done\"")));
        await test.WaitClosedAsync(arn);

        var timeline = await test.GetJsonAsync($"local/executions/{ServiceApi.Escape(arn)}/timeline");
        Assert.Equal("SUCCEEDED", timeline.GetProperty("Status").GetString());
        var bands = timeline.GetProperty("Invocations").EnumerateArray().ToList();
        Assert.Equal(2, bands.Count);
        var gap = Assert.Single(timeline.GetProperty("Breaks").EnumerateArray());
        Assert.InRange(gap.GetProperty("HiddenMs").GetInt64(), 1000, 30_000);

        // The two invocations (milliseconds each) are drawn wider than the four-second wait between them, which runs into
        // the break.
        Assert.True(bands.All(b => b.GetProperty("Width").GetDouble() > gap.GetProperty("Width").GetDouble()), timeline.GetRawText());
        var wait = timeline.GetProperty("Operations").EnumerateArray().Single(o => o.GetProperty("Id").GetString() == "w1");
        Assert.Equal("WAIT", wait.GetProperty("Type").GetString());
        Assert.Equal(1, wait.GetProperty("Depth").GetInt32());
        Assert.True(wait.GetProperty("X").GetDouble() <= gap.GetProperty("X").GetDouble(), timeline.GetRawText());
        Assert.True(wait.GetProperty("X").GetDouble() + wait.GetProperty("Width").GetDouble() > gap.GetProperty("X").GetDouble(),
            timeline.GetRawText()); // the timer fires inside the break, just before the second invocation
        Assert.Equal(timeline.GetProperty("Events").GetArrayLength(), (await test.HistoryAsync(arn)).Count);

        using var unknown = await test.Http.GetAsync("local/executions/" + ServiceApi.Escape(arn[..^36] + Guid.NewGuid()) + "/timeline");
        await AwsAssert.ErrorAsync(unknown, 404, "ResourceNotFoundException");
    }

    [Fact]
    public void A_long_idle_stretch_is_drawn_as_a_break_so_the_work_around_it_keeps_its_width()
    {
        // Two one-second invocations a year apart: the year is one break an eighth as wide as the work drawn to scale,
        // so each second keeps 1000/2250 of the axis.
        var start = DateTimeOffset.UnixEpoch;
        var year = TimeSpan.FromDays(365);
        var axis = new TimeAxis(start, start + year + TimeSpan.FromSeconds(2),
            [(start, start.AddSeconds(1)), (start + year + TimeSpan.FromSeconds(1), start + year + TimeSpan.FromSeconds(2))]);
        var gap = Assert.Single(axis.Breaks);
        Assert.Equal((long)year.TotalMilliseconds, gap.HiddenMs);
        Assert.Equal(250.0 / 2250, gap.Width, 3);
        Assert.Equal(1000.0 / 2250, axis.X(start.AddSeconds(1)), 3);
        Assert.Equal(1250.0 / 2250, axis.X(start + year + TimeSpan.FromSeconds(1)), 3);
        Assert.Equal(0.5, axis.X(start.AddSeconds(1) + year / 2), 3); // inside the break, time still moves forward
        Assert.Equal(1, axis.X(start + year + TimeSpan.FromSeconds(2)));

        // Short idle stretches stay to scale.
        var busy = new TimeAxis(start, start.AddSeconds(3), [(start, start.AddSeconds(1)), (start.AddSeconds(1.5), start.AddSeconds(3))]);
        Assert.Empty(busy.Breaks);
        Assert.Equal(0.5, busy.X(start.AddSeconds(1.5)), 3);

        // A one-millisecond invocation after a two-second wait still reads as a band: never narrower than two breaks.
        var quick = new TimeAxis(start, start.AddMilliseconds(2011),
            [(start, start.AddMilliseconds(9)), (start.AddMilliseconds(2010), start.AddMilliseconds(2011))]);
        var wait = Assert.Single(quick.Breaks);
        var lastBand = 1 - quick.X(start.AddMilliseconds(2010));
        Assert.True(lastBand >= 2 * wait.Width - 0.0001, $"band {lastBand}, break {wait.Width}");

        // And one that began and ended within the same millisecond: its band runs from X to EndX, as wide as the
        // one-millisecond one (it was drawn zero wide, and the page lost the execution's last invocation).
        var instant = new TimeAxis(start, start.AddMilliseconds(2010),
            [(start, start.AddMilliseconds(9)), (start.AddMilliseconds(2010), start.AddMilliseconds(2010))]);
        var at = start.AddMilliseconds(2010);
        var instantBand = instant.EndX(at) - instant.X(at);
        Assert.True(instantBand >= 2 * Assert.Single(instant.Breaks).Width - 0.0001, $"band {instantBand}");
        Assert.Equal(1, instant.EndX(at));
        Assert.Equal(quick.X(start.AddMilliseconds(5)), quick.EndX(start.AddMilliseconds(5))); // inside a piece, one point
    }

    private static async Task<string> NextDataAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }

    /// <summary>Reads what is left (changes made before the stop may still be in it) until the stream ends; false
    /// if it is still open when <paramref name="cancellationToken"/> fires.</summary>
    private static async Task<bool> EndsAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            await reader.ReadToEndAsync(cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return true; // the connection was closed rather than ended: the stream is over either way
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
