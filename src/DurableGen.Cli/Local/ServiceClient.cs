using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Client;
using DurableGen.Protocol;

namespace DurableGen.Cli.Local;

/// <summary>The runtime's <see cref="DurableExecutionClient"/> as the CLI uses it: unsigned (the local service does not
/// check signatures), one attempt per call (a person reruns the command), no attempt timeout (a synchronous invoke
/// waits as long as the execution runs).</summary>
internal static class ServiceClient
{
    /// <summary>A client of <paramref name="endpoint"/> (<c>--endpoint</c>), else of <c>$DURABLEGEN_ENDPOINT</c>, else
    /// of <see cref="CliOptions.DefaultEndpoint"/>.</summary>
    public static DurableExecutionClient Connect(string? endpoint)
    {
        endpoint ??= Environment.GetEnvironmentVariable("DURABLEGEN_ENDPOINT") ?? CliOptions.DefaultEndpoint;
        return For(CliOptions.ParseEndpoint(endpoint)
                   ?? throw new CliException($"DURABLEGEN_ENDPOINT must be an http(s) URL, not '{endpoint}'."));
    }

    /// <summary>A client of the service at <paramref name="endpoint"/>.</summary>
    public static DurableExecutionClient For(Uri endpoint) => new(new DurableClientOptions
    {
        Endpoint = endpoint,
        Unsigned = true,
        MaxAttempts = 1,
        RequestTimeout = Timeout.InfiniteTimeSpan,
        InvokeTimeout = Timeout.InfiniteTimeSpan,
    });

    /// <summary>Every event of an execution's history, oldest first.</summary>
    public static async Task<List<Event>> ReadHistoryAsync(this DurableExecutionClient client, string durableExecutionArn,
        CancellationToken cancellationToken)
    {
        var events = new List<Event>();
        await foreach (var e in client.GetAllDurableExecutionHistoryAsync(
                           new GetDurableExecutionHistoryRequest { DurableExecutionArn = durableExecutionArn, MaxItems = 1000 },
                           cancellationToken))
        {
            events.Add(e);
        }

        return events;
    }
}
