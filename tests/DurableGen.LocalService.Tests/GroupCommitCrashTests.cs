using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// The SQLite store writes concurrent commits in one transaction (group commit): a commit is acknowledged only once
/// the transaction holding it is written, so <c>kill -9</c> of the service right after many concurrent
/// acknowledgements loses none of them. Both kinds of acknowledgement a caller sees are checked: an <c>Invoke</c>
/// answered 202 (a started execution) and a callback answered 200 (its result recorded).
/// </summary>
public sealed class GroupCommitCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Executions = 24;
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-group-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_concurrently_acknowledged_commit_survives_a_kill_of_the_service()
    {
        var database = Path.Combine(_directory, "executions.db");
        string[] arns;
        Dictionary<string, string> callbacks;
        var first = await ServiceProcess.StartAsync(database);
        await using (first)
        {
            try
            {
                // N starts at once: each 202 is a commit the service acknowledged.
                arns = await Task.WhenAll(Enumerable.Range(0, Executions)
                    .Select(i => first.StartExecutionAsync($"\"o-{i}\"", "awaits-approval")));
                callbacks = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var arn in arns)
                {
                    await ServiceApi.EventuallyAsync(async () =>
                    {
                        var started = (await first.HistoryAsync(arn))
                            .FirstOrDefault(e => e.GetProperty("EventType").GetString() == "CallbackStarted");
                        if (started.ValueKind == JsonValueKind.Undefined)
                        {
                            return false;
                        }

                        callbacks[arn] = started.GetProperty("CallbackStartedDetails").GetProperty("CallbackId").GetString()!;
                        return true;
                    }, $"the callback of {arn}", seconds: 120);
                }

                // N callback results at once, each acknowledged with 200; then kill -9 before anything else happens.
                var statuses = await Task.WhenAll(arns.Select(async arn =>
                {
                    using var response = await first.Http.PostAsync(
                        $"2025-12-01/durable-execution-callbacks/{ServiceApi.Escape(callbacks[arn])}/succeed",
                        new StringContent($"{{\"Approved\":true,\"By\":\"{Tail(arn)}\"}}", Encoding.UTF8, "application/json"));
                    return (int)response.StatusCode;
                }));
                await first.KillAsync();
                Assert.All(statuses, status => Assert.Equal(200, status));
            }
            finally
            {
                first.WriteOutputTo(output);
            }
        }

        await using var second = await ServiceProcess.StartAsync(database);
        try
        {
            foreach (var arn in arns)
            {
                var events = await second.HistoryAsync(arn);
                var succeeded = events.Single(e => e.GetProperty("EventType").GetString() == "CallbackSucceeded");
                Assert.Equal($"{{\"Approved\":true,\"By\":\"{Tail(arn)}\"}}",
                    succeeded.GetProperty("CallbackSucceededDetails").GetProperty("Result").GetProperty("Payload").GetString());
            }
        }
        finally
        {
            second.WriteOutputTo(output);
        }
    }

    private static string Tail(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
