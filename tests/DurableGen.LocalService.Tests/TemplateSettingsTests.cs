using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// <c>durablegen serve --project</c> runs the functions of the template the project's attributes make, with what the
/// template says: a function timeout stops an invocation that outlasts it, and an execution timeout ends the execution.
/// </summary>
public sealed class TemplateSettingsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_template_function_and_execution_timeouts_are_enforced()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("durablegen-template-").FullName;
        try
        {
            await RunAsync(System.IO.Path.Combine(directory, "executions.db"));
        }
        finally
        {
            // The service has exited: its database and the span file beside it, with SQLite's -wal and -shm files, are
            // this test's to remove.
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    private async Task RunAsync(string database)
    {
        await using var service = await ServiceProcess.StartAsync(database);
        try
        {
            var functions = (await service.GetJsonAsync("local/functions")).EnumerateArray().Select(f => f.GetProperty("Name").GetString()).ToList();
            Assert.Contains("slow-invocation", functions);
            Assert.Contains("short-lived", functions);

            var slow = await service.StartExecutionAsync("10", "slow-invocation");
            var shortLived = await service.StartExecutionAsync("60", "short-lived");

            // ExecutionTimeout = 3: timed out after three seconds, though its wait is a minute.
            var closed = await service.WaitClosedAsync(shortLived, 30);
            Assert.Equal("TIMED_OUT", closed.GetProperty("Status").GetString());
            var elapsed = closed.GetProperty("EndTimestamp").GetDouble() - closed.GetProperty("StartTimestamp").GetDouble();
            Assert.InRange(elapsed, 2.5, 10);

            // FunctionTimeout = 2: the ten-second step is stopped after two seconds, as Lambda reports it.
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            string? error = null;
            while (error is null && DateTimeOffset.UtcNow < deadline)
            {
                error = (await service.HistoryAsync(slow))
                    .Where(e => e.GetProperty("EventType").GetString() == "InvocationCompleted")
                    .Select(e => e.GetProperty("InvocationCompletedDetails").TryGetProperty("Error", out var detail) ? detail.GetRawText() : null)
                    .FirstOrDefault(e => e is not null);
                await Task.Delay(200);
            }

            Assert.NotNull(error);
            Assert.Contains("Sandbox.Timedout", error, StringComparison.Ordinal);
            Assert.Contains("Task timed out after 2 seconds", error, StringComparison.Ordinal);
        }
        finally
        {
            service.WriteOutputTo(output);
        }
    }
}
