using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// SIGTERM, as a container or service manager stops a program, to <c>durablegen serve</c> and <c>durablegen run</c>: they
/// stop their function processes, close the database and exit at once; a function process the signal reached is not
/// restarted.
/// </summary>
public sealed class CliShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public Task Serve_stops_on_SIGTERM_with_its_function_processes_and_closes_the_database() => StopOnSigtermAsync(times: 1);

    /// <summary>A group's SIGTERM reaches <c>dotnet durablegen serve</c> twice: from the kernel, and forwarded by the
    /// <c>dotnet</c> host that launched the tool. The repeat is the same stop, not the second request that ends the
    /// process at once (which left the database open, its -wal file behind).</summary>
    [Fact]
    public Task Serve_takes_a_SIGTERM_repeated_at_once_as_the_same_stop_and_still_closes_the_database() =>
        StopOnSigtermAsync(times: 2);

    private async Task StopOnSigtermAsync(int times)
    {
        var directory = Directory.CreateTempSubdirectory("durablegen-sigterm-").FullName;
        try
        {
            await StopOnSigtermAsync(Path.Combine(directory, "executions.db"), times);
        }
        finally
        {
            // The service has exited: its database and the span file beside it (with any -wal and -shm SQLite left) are
            // this test's to remove.
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task StopOnSigtermAsync(string database, int times)
    {
        await using var service = await ServiceProcess.StartAsync(database);
        try
        {
            var children = Array.Empty<int>();
            await ServiceApi.EventuallyAsync(async () =>
            {
                var sandboxes = (await service.GetJsonAsync("local/functions")).EnumerateArray()
                    .SelectMany(f => f.GetProperty("Sandboxes").EnumerateArray()).ToList();
                children = sandboxes.Where(s => s.TryGetProperty("ProcessId", out _)).Select(s => s.GetProperty("ProcessId").GetInt32()).ToArray();
                return children.Length == sandboxes.Count && children.Length > 0;
            }, "every function process started");
            Assert.True(File.Exists(database + "-wal")); // open, in WAL mode

            CliProcess.Send(service.Process.Id, CliProcess.SigTerm);
            if (times == 2)
            {
                // Once the first is taken (signals still pending merge into one), while the shutdown runs: as the
                // dotnet host forwards it a moment after the kernel delivered the group's.
                await ServiceApi.EventuallyAsync(() => Task.FromResult(service.CountOutput("stopping:") > 0), "the shutdown began", 10);
                if (!service.Process.HasExited) // a shutdown faster than the poll leaves nothing to repeat to
                {
                    CliProcess.Send(service.Process.Id, CliProcess.SigTerm);
                }
            }

            using var exit = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(15));
            await service.Process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, service.Process.ExitCode);
            await ServiceApi.EventuallyAsync(() => Task.FromResult(!children.Any(CliProcess.IsAlive)), "the function processes are gone", 5);

            // Closed, not abandoned: the last connection checkpointed and removed the write-ahead log.
            Assert.False(File.Exists(database + "-wal"), "the database was not closed (its -wal file is left)");
            using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "BEGIN EXCLUSIVE; SELECT count(*) FROM sqlite_master; COMMIT;";
            Assert.True(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
        finally
        {
            service.WriteOutputTo(output);
        }
    }

    [Fact]
    public async Task Run_stops_on_SIGTERM_to_its_process_group_without_restarting_its_function_processes()
    {
        await using var run = CliProcess.Start("run", "tests/DurableGen.TestFunctions", "-c", Artifacts.Configuration, "--no-build",
            "--function", "awaits-approval", "--input", "\"o-1\"");
        try
        {
            // The execution waits for a callback nobody sends: the run goes on until it is stopped.
            var functions = (await run.WaitForLineAsync(new Regex("^local service on \\S+ with (.+)$"), 60)).Groups[1].Value.Split(", ");
            await run.WaitForLineAsync(new Regex("^started arn:"), 60);
            await ServiceApi.EventuallyAsync(() => Task.FromResult(run.FunctionProcessIds().Count == functions.Length),
                "a process per function");
            var children = run.FunctionProcessIds();

            run.Signal(CliProcess.SigTerm, group: true); // the CLI and its function processes, as `kill -TERM -<pgid>`

            Assert.Equal(143, await run.WaitForExitAsync(15));
            Assert.DoesNotContain("restarting", run.Output, StringComparison.Ordinal);
            Assert.Equal(children, run.FunctionProcessIds()); // none started again
            await ServiceApi.EventuallyAsync(() => Task.FromResult(!children.Any(CliProcess.IsAlive)), "the function processes are gone", 5);
        }
        finally
        {
            run.WriteOutputTo(output);
        }
    }
}
