using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>
/// Three steps that log every attempt to a journal file: <c>before</c>, then <c>blocking</c>, whose first attempt
/// ever blocks (<c>BlockSeconds</c>, two minutes by default) so that a test can kill the process — or the service — while it runs, then
/// <c>after</c>. Each journal line is <c>step pid</c>; the test reads the pid to kill from it and counts the lines to
/// check which steps ran again.
/// </summary>
[DurableWorkflow(FunctionName = "crashable")]
public sealed partial class CrashableWorkflow
{
    public async Task<string> RunAsync(CrashableInput input, IDurableContext context)
    {
        var before = await context.StepAsync((_, _) => Journal.WriteAsync(input.Journal, "before"), "before");
        var blocking = await context.StepAsync(async (_, cancellationToken) =>
        {
            var attempt = await Journal.WriteAsync(input.Journal, "blocking");
            if (attempt == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(input.BlockSeconds), cancellationToken);
            }

            return attempt;
        }, "blocking");
        var after = await context.StepAsync((_, _) => Journal.WriteAsync(input.Journal, "after"), "after");
        return $"before:{before} blocking:{blocking} after:{after}";
    }
}

/// <summary>Appends <c>step pid</c> lines to a journal shared with the test (one writer at a time: the function
/// runs one invocation per process).</summary>
internal static class Journal
{
    /// <summary>Appends a line for <paramref name="step"/> and returns how many lines that step has now (its
    /// attempt count across processes).</summary>
    public static async Task<int> WriteAsync(string path, string step)
    {
        await File.AppendAllTextAsync(path, $"{step} {Environment.ProcessId}\n");
        return (await File.ReadAllLinesAsync(path)).Count(line => line.StartsWith(step + " ", StringComparison.Ordinal));
    }
}
