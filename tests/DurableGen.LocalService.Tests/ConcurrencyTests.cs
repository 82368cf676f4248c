using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>Many executions at once on one service and one function process: each suspends on a timer and is
/// resumed, interleaved with the others, and every one completes with its own result and history.</summary>
public sealed class ConcurrencyTests
{
    private const int Executions = 120;

    [Fact]
    public async Task A_hundred_and_twenty_concurrent_executions_all_complete_with_their_own_results()
    {
        var directory = Directory.CreateTempSubdirectory("durablegen-concurrency-").FullName;
        try
        {
            await using var test = await TestService.StartAsync(options =>
            {
                options.DatabasePath = Path.Combine(directory, "executions.db");
                options.Functions.Clear();
                options.Functions.Add(Artifacts.TestFunction("five-steps"));
            });

            var arns = await Task.WhenAll(Enumerable.Range(0, Executions).Select(seed =>
                test.StartExecutionAsync($$"""{"Seed":{{seed * 100}},"WaitSeconds":1}""", "five-steps")));
            Assert.Equal(Executions, arns.Distinct().Count());

            for (var seed = 0; seed < Executions; seed++)
            {
                var execution = await test.WaitClosedAsync(arns[seed], seconds: 120);
                Assert.Equal("SUCCEEDED", execution.GetProperty("Status").GetString());
                Assert.Equal($$"""{"Seed":{{seed * 100}},"Total":{{seed * 100 + 15}}}""", execution.GetProperty("Result").GetString());
            }

            // Each suspended on its timer and was invoked again: two invocations, five steps, one wait.
            foreach (var arn in arns.Take(10))
            {
                var types = (await test.HistoryAsync(arn)).Select(e => e.GetProperty("EventType").GetString()).ToList();
                Assert.Equal(5, types.Count(t => t == "StepSucceeded"));
                Assert.Equal(1, types.Count(t => t == "WaitSucceeded"));
                Assert.Equal(2, types.Count(t => t == "InvocationCompleted"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
