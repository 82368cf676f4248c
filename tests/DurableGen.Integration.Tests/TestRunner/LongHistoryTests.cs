using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Integration.Tests.Support;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.TestRunner;

/// <summary>
/// The service pages its history (100 events by default, 1,000 at most); a test result stands for the whole execution,
/// so its history, timeline and JSON must hold every page (issue 10: they held the first 100 events).
/// </summary>
public sealed class LongHistoryTests
{
    private const int Steps = 600; // two events each: 1,200 step events, past the largest page the service returns

    [Fact]
    public async Task A_history_longer_than_the_largest_page_is_whole_in_the_result_the_timeline_and_the_json()
    {
        var runner = ReflectionRunner.Create<string, int>(async (_, context) =>
        {
            var total = 0;
            for (var i = 0; i < Steps; i++)
            {
                var n = i;
                total += await context.StepAsync((_, _) => Task.FromResult(n), "step-" + n);
            }

            return total;
        });

        var result = await runner.RunAsync("in");

        result.EnsureSucceeded();
        Assert.True(result.History.Count > 1000, $"the history has {result.History.Count} events");
        Assert.Equal(Enumerable.Range(1, result.History.Count), result.History.Select(e => e.EventId));
        Assert.Equal(EventType.ExecutionStarted, result.History[0].EventType);
        Assert.Equal(EventType.ExecutionSucceeded, result.History[^1].EventType);
        Assert.Equal(Steps, result.History.Count(e => e.EventType == EventType.StepSucceeded));

        var timeline = result.FormatTimeline().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(result.History.Count, timeline.Length);
        Assert.Contains("StepSucceeded 'step-599'", timeline.Last(l => l.Contains("StepSucceeded", StringComparison.Ordinal)),
            StringComparison.Ordinal);
        Assert.Contains("ExecutionSucceeded", timeline[^1], StringComparison.Ordinal);

        var json = JsonSerializer.Deserialize(result.GetHistoryJson(), ProtocolJson.Rest.GetDurableExecutionHistoryResponse)!;
        Assert.Equal(result.History.Count, json.Events.Count);
        Assert.Null(json.NextMarker);
    }
}
