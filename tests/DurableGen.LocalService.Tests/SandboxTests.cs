using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// A function with <see cref="FunctionDefinition.Concurrency"/> 2 runs two processes, each with its own Runtime API
/// endpoint: two executions run side by side (one blocked in a long step does not hold up the other), and when one
/// process is killed only the invocation it held fails.
/// </summary>
public sealed class SandboxTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-sandbox-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Two_sandboxes_run_two_executions_at_once_and_a_killed_one_fails_only_its_own_invocation()
    {
        await using var test = await TestService.StartAsync(options =>
        {
            options.Functions.Clear();
            var function = Artifacts.TestFunction("crashable");
            function.Concurrency = 2;
            options.Functions.Add(function);
        });

        try
        {
            var journalA = new CrashableJournal(Path.Combine(_directory, "a.txt"), blockSeconds: 120);
            var journalB = new CrashableJournal(Path.Combine(_directory, "b.txt"), blockSeconds: 3);
            var a = await test.StartExecutionAsync(journalA.Input, "crashable");
            var b = await test.StartExecutionAsync(journalB.Input, "crashable");

            // Both block in their step at the same time, in two different processes.
            var pidA = await journalA.BlockedProcessAsync();
            var pidB = await journalB.BlockedProcessAsync();
            Assert.NotEqual(pidA, pidB);
            var functions = await test.GetJsonAsync("local/functions");
            var crashable = functions.EnumerateArray().Single(f => f.GetProperty("Name").GetString() == "crashable");
            Assert.Equal(2, crashable.GetProperty("Concurrency").GetInt32());
            var sandboxes = crashable.GetProperty("Sandboxes").EnumerateArray().ToList();
            Assert.Equal(new[] { pidA, pidB }.Order(), sandboxes.Select(s => s.GetProperty("ProcessId").GetInt32()).Order());
            var endpointA = sandboxes.Single(s => s.GetProperty("ProcessId").GetInt32() == pidA).GetProperty("RuntimeApi").GetString();

            Process.GetProcessById(pidA).Kill(); // SIGKILL: sandbox A's process only

            var executionB = await test.WaitClosedAsync(b);
            Assert.Equal("SUCCEEDED", executionB.GetProperty("Status").GetString());
            Assert.Equal("\"before:1 blocking:1 after:1\"", executionB.GetProperty("Result").GetString());
            Assert.DoesNotContain(await test.HistoryAsync(b), e => ServiceApi.InvocationErrorType(e) is not null);

            var executionA = await test.WaitClosedAsync(a);
            Assert.Equal("SUCCEEDED", executionA.GetProperty("Status").GetString());
            Assert.Equal("\"before:1 blocking:2 after:1\"", executionA.GetProperty("Result").GetString());
            Assert.Single(await test.HistoryAsync(a), e => ServiceApi.InvocationErrorType(e) is not null);

            // The killed process's endpoint died with it: a process still holding it (say, one that outlived an
            // earlier run of the service) is refused, not handed the sandbox's next invocation. Its port is closed.
            Assert.Matches(@"^127\.0\.0\.1:[0-9]{1,5}$", endpointA);
            await Assert.ThrowsAsync<System.Net.Http.HttpRequestException>(
                () => test.Http.GetAsync($"http://{endpointA}/2018-06-01/runtime/invocation/next"));
        }
        finally
        {
            test.WriteOutputTo(output);
        }
    }
}
