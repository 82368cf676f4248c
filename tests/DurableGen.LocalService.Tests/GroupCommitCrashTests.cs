using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// The SQLite store writes concurrent commits in one transaction (group commit) and acknowledges a commit only once the
/// transaction holding it is written, synced to the disk or not: <c>kill -9</c> of the service in the middle of a stream
/// of concurrent, acknowledged commits loses none of the acknowledged ones. The commits are starts (<c>Invoke</c>
/// answered 202 with the execution's ARN) from several callers at once, killed while more are in flight, so some were
/// still queued.
/// </summary>
public sealed class GroupCommitCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Callers = 8;
    /// <summary>About 3 rows each: several WAL checkpoints (one per 1,000 rows) and restarts of the log happen before the
    /// kill, while commits go on.</summary>
    private const int AcknowledgedBeforeKill = 1200;
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-group-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)] // the default: acknowledged once in the write-ahead log
    [InlineData(true)] // --fsync: acknowledged once on the disk
    public async Task Every_concurrently_acknowledged_commit_survives_a_kill_of_the_service(bool fsync)
    {
        var database = Path.Combine(_directory, "executions.db");
        var acknowledged = new List<string>();
        var first = await ServiceProcess.StartAsync(database, fsync ? ["--fsync"] : []);
        await using (first)
        {
            try
            {
                string banner;
                lock (first.Output)
                {
                    banner = first.Output.Single(l => l.StartsWith("durable execution service on", StringComparison.Ordinal));
                }

                Assert.Equal(fsync, banner.Contains("each commit synced to the disk", StringComparison.Ordinal));

                using var enough = new SemaphoreSlim(0);
                var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
                {
                    for (var i = 0; ; i++)
                    {
                        string arn;
                        try
                        {
                            arn = await first.StartExecutionAsync($"\"o-{caller}-{i}\"", "awaits-approval");
                        }
                        catch (Exception)
                        {
                            return; // the service is gone: this start was never acknowledged
                        }

                        lock (acknowledged)
                        {
                            acknowledged.Add(arn);
                            if (acknowledged.Count == AcknowledgedBeforeKill)
                            {
                                enough.Release();
                            }
                        }
                    }
                })).ToList();

                Assert.True(await enough.WaitAsync(TimeSpan.FromSeconds(120)), "the service acknowledged too few starts");
                await first.KillAsync(); // SIGKILL while the callers' next starts are in flight
                await Task.WhenAll(callers);
            }
            finally
            {
                first.WriteOutputTo(output);
            }
        }

        await using var second = await ServiceProcess.StartAsync(database);
        try
        {
            string[] survived;
            lock (acknowledged)
            {
                survived = acknowledged.ToArray();
            }

            Assert.True(survived.Length >= AcknowledgedBeforeKill);
            foreach (var arn in survived)
            {
                var execution = await second.GetExecutionAsync(arn); // 404 (an exception) if the start was lost
                Assert.Equal(arn, execution.GetProperty("DurableExecutionArn").GetString());
            }
        }
        finally
        {
            second.WriteOutputTo(output);
        }
    }
}
