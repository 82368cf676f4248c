using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// <c>kill -9</c> in the middle of a step — of the function process, then of the service itself — with the
/// <c>crashable</c> test workflow (steps <c>before</c>, <c>blocking</c>, <c>after</c>, each appending <c>step pid</c>
/// to a journal; the first attempt of <c>blocking</c> hangs). Nothing is lost and nothing runs twice beyond the step
/// semantics: the interrupted at-least-once step runs again, the finished one does not.
/// </summary>
public sealed class ProcessCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-crash-").FullName;

    private CrashableJournal Journal => new(Path.Combine(_directory, "journal.txt"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_function_process_killed_mid_step_is_restarted_and_the_execution_completes()
    {
        await using var test = await TestService.StartAsync(options =>
        {
            options.DatabasePath = Path.Combine(_directory, "executions.db");
            options.Functions.Clear();
            options.Functions.Add(Artifacts.TestFunction("crashable"));
        });

        try
        {
            var arn = await test.StartExecutionAsync(Journal.Input, "crashable");
            var victim = await Journal.BlockedProcessAsync();
            Process.GetProcessById(victim).Kill(); // SIGKILL

            var execution = await test.WaitClosedAsync(arn);
            Assert.Equal("SUCCEEDED", execution.GetProperty("Status").GetString());
            Assert.Equal("\"before:1 blocking:2 after:1\"", execution.GetProperty("Result").GetString());
            AssertJournal(victim);
            var events = await test.HistoryAsync(arn);
            AssertOneSuccessPerStep(events);
            Assert.Contains(events, e => ServiceApi.InvocationErrorType(e) == "Runtime.ExitError");
        }
        finally
        {
            test.WriteOutputTo(output);
        }
    }

    [Fact]
    public async Task The_service_killed_mid_invocation_and_restarted_on_its_database_completes_the_execution()
    {
        var database = Path.Combine(_directory, "executions.db");
        string arn;
        int orphan;
        var first = await ServiceProcess.StartAsync(database);
        await using (first)
        {
            try
            {
                arn = await first.StartExecutionAsync(Journal.Input, "crashable");
                orphan = await Journal.BlockedProcessAsync();
                await first.KillAsync();
            }
            finally
            {
                first.WriteOutputTo(output);
            }
        }

        // Its function process outlives it, hung in the step; the machine going down would take it too.
        KillIfRunning(orphan);

        await using var second = await ServiceProcess.StartAsync(database, "--concurrency", "2");
        try
        {
            Assert.Equal("RUNNING", await second.StatusAsync(arn));
            var crashable = (await second.GetJsonAsync("local/functions")).EnumerateArray()
                .Single(f => f.GetProperty("Name").GetString() == "crashable");
            Assert.Equal(2, crashable.GetProperty("Concurrency").GetInt32());
            var execution = await second.WaitClosedAsync(arn);
            Assert.Equal("SUCCEEDED", execution.GetProperty("Status").GetString());
            Assert.Equal("\"before:1 blocking:2 after:1\"", execution.GetProperty("Result").GetString());
            AssertJournal(orphan);
            var events = await second.HistoryAsync(arn);
            AssertOneSuccessPerStep(events);
            Assert.Contains(events, e => ServiceApi.InvocationErrorType(e) == LocalDurableService.OrphanedInvocationError);
            Assert.Single(events, e => e.GetProperty("EventType").GetString() == "ExecutionStarted");
        }
        finally
        {
            second.WriteOutputTo(output);
        }
    }

    /// <summary>
    /// Issue 13: the service process dies (SIGKILL, from the store's test fault) inside the commit that closes a chained
    /// invoke's child and hands its result to the caller. Restarted on the same database, the caller still gets the
    /// child's result and the child's step does not run again: the child's completion and its delivery are one commit,
    /// so the kill loses both (the child's invocation is orphaned and replays) rather than keeping a delivered child
    /// whose caller never heard of it.
    /// </summary>
    [Fact]
    public async Task The_service_killed_inside_a_chained_invokes_delivery_and_restarted_gives_the_caller_the_result()
    {
        var database = Path.Combine(_directory, "executions.db");
        string arn;
        var first = await ServiceProcess.StartAsync(database,
            new Dictionary<string, string> { ["DURABLEGEN_TEST_FAULT"] = "kill-in-chained-invoke-delivery" });
        await using (first)
        {
            try
            {
                arn = await first.StartExecutionAsync(Journal.Input, "chained-caller");
                using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(60));
                await first.Process.WaitForExitAsync(timeout.Token);
                Assert.Equal(137, first.Process.ExitCode); // 128 + SIGKILL
                Assert.Equal(1, first.CountOutput("DURABLEGEN_TEST_FAULT: killing the process before writing " + arn));
            }
            finally
            {
                first.WriteOutputTo(output);
            }
        }

        // The function processes outlive the service; the machine going down would take them too.
        foreach (var (_, pid) in Journal.Read())
        {
            KillIfRunning(pid);
        }

        Assert.Equal(new[] { "caller", "callee" }, Journal.Read().Select(l => l.Step));
        await using var second = await ServiceProcess.StartAsync(database);
        try
        {
            var execution = await second.WaitClosedAsync(arn);
            Assert.Equal("SUCCEEDED", execution.GetProperty("Status").GetString());
            Assert.Equal("\"caller got callee:1\"", execution.GetProperty("Result").GetString());
            Assert.Equal(new[] { "caller", "callee" }, Journal.Read().Select(l => l.Step)); // nothing ran twice
            var events = await second.HistoryAsync(arn);
            Assert.Single(events, e => e.GetProperty("EventType").GetString() == "ChainedInvokeSucceeded");
            var childArn = events.Single(e => e.GetProperty("EventType").GetString() == "ChainedInvokeStarted")
                .GetProperty("ChainedInvokeStartedDetails").GetProperty("DurableExecutionArn").GetString()!;
            var childEvents = await second.HistoryAsync(childArn);
            Assert.Contains(childEvents, e => ServiceApi.InvocationErrorType(e) == LocalDurableService.OrphanedInvocationError);
            Assert.Single(childEvents, e => e.GetProperty("EventType").GetString() == "ExecutionSucceeded");
        }
        finally
        {
            second.WriteOutputTo(output);
        }
    }

    /// <summary><c>before</c> ran once, <c>blocking</c> twice (in the killed process, then in a new one),
    /// <c>after</c> once, in the new process.</summary>
    private void AssertJournal(int killed)
    {
        var journal = Journal.Read();
        Assert.Equal(new[] { "before", "blocking", "blocking", "after" }, journal.Select(l => l.Step));
        Assert.Equal(killed, journal[1].Pid);
        Assert.NotEqual(killed, journal[2].Pid);
        Assert.Equal(journal[2].Pid, journal[3].Pid);
    }

    private static void AssertOneSuccessPerStep(List<JsonElement> events)
    {
        var succeeded = events.Where(e => e.GetProperty("EventType").GetString() == "StepSucceeded")
            .Select(e => e.GetProperty("Name").GetString()).ToList();
        Assert.Equal(new[] { "before", "blocking", "after" }, succeeded);
        Assert.Single(events, e => e.GetProperty("EventType").GetString() == "ExecutionSucceeded");
    }

    private static void KillIfRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
            // already gone
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
