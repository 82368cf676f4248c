using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableGen.Benchmarks;

/// <summary>
/// A fresh map of <see cref="N"/> items with <c>MaxConcurrency</c> 10, each item one step, in one invocation against
/// an in-memory service client (so the ns/op and B/op columns are per item). <see cref="MapCheckpointStats"/> runs the
/// same workflow once through a counting client to report checkpoint requests and bytes per item.
/// </summary>
[MemoryDiagnoser]
public class MapBenchmarks
{
    /// <summary>Items in the map.</summary>
    [Params(1_000)]
    public int N { get; set; }

    private DurableExecutionInvocationInput _envelope = null!;

    [GlobalSetup]
    public void Setup() => _envelope = ReplayBenchmarks.Envelope(0);

    [Benchmark]
    public Task<DurableExecutionInvocationOutput> Map() =>
        MapCheckpointStats.RunAsync(_envelope, N, new InMemoryClient());
}

/// <summary>Counts what the map workflow sends to the service: requests, updates and serialized request bytes.</summary>
public static class MapCheckpointStats
{
    private static readonly DurableExecutionOptions Options = new()
    {
        Serializer = new JsonDurableSerializer(BenchmarkJsonContext.Default),
        Logger = NullLogger.Instance,
    };

    /// <summary>Runs the map of <paramref name="items"/> items (MaxConcurrency 10, one step each) in one invocation.</summary>
    public static async Task<DurableExecutionInvocationOutput> RunAsync(DurableExecutionInvocationInput envelope, int items,
        IDurableServiceClient client)
    {
        var values = Enumerable.Range(0, items).ToArray();
        var output = await DurableFunction.WrapAsync<string, int>(async (_, context) =>
        {
            var batch = await context.MapAsync<int, int>(values,
                (item, value, _, _, _) => item.StepAsync((_, _) => Task.FromResult(value * 2)), "map",
                new MapConfig<int> { MaxConcurrency = 10 }).ConfigureAwait(false);
            return batch.SuccessCount;
        }, envelope, new LambdaContext("map-benchmark"), client, Options).ConfigureAwait(false);
        return output.Status == InvocationStatus.Succeeded && output.Result == items.ToString(CultureInfo.InvariantCulture)
            ? output
            : throw new InvalidOperationException($"The map did not succeed: {output.Status} {output.Error?.ErrorMessage}");
    }

    /// <summary>Prints the figures for <c>--map-stats</c>: each latency, a few runs, median of each figure.</summary>
    public static async Task<int> PrintAsync(int items = 1_000, int runs = 5)
    {
        Console.WriteLine($"Map of {items:N0} items, MaxConcurrency 10, one step per item; {runs} runs per latency, medians.");
        Console.WriteLine("| Service latency | Requests | Updates | Updates / request (max) | Requests / item | Request bytes / item | Wall time |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var latency in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5) })
        {
            var samples = new List<CountingClient>();
            var times = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var client = new CountingClient(latency);
                var watch = Stopwatch.StartNew();
                await RunAsync(ReplayBenchmarks.Envelope(0), items, client).ConfigureAwait(false);
                times.Add(watch.Elapsed.TotalMilliseconds);
                samples.Add(client);
            }

            var requests = Measurement.Median(samples.Select(s => (double)s.Requests));
            var updates = Measurement.Median(samples.Select(s => (double)s.Updates));
            var bytes = Measurement.Median(samples.Select(s => (double)s.Bytes));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(latency == TimeSpan.Zero ? "none (answers at once)" : $"{latency.TotalMilliseconds:0} ms")} | {requests:N0} | " +
                $"{updates:N0} | {updates / requests:N1} ({samples.Max(s => s.MaxUpdates)}) | {requests / items:N3} | " +
                $"{bytes / items:N0} | {Measurement.Median(times):N0} ms |"));
        }

        return 0;
    }
}

/// <summary>
/// An in-memory service client that counts requests, updates and the bytes of each request as the REST client would
/// send it (the protocol's JSON), optionally answering after a simulated round-trip latency.
/// </summary>
internal sealed class CountingClient(TimeSpan latency) : IDurableServiceClient
{
    private int _requests;
    private int _updates;
    private long _bytes;
    private int _maxUpdates;

    public int Requests => Volatile.Read(ref _requests);

    public int Updates => Volatile.Read(ref _updates);

    public long Bytes => Interlocked.Read(ref _bytes);

    public int MaxUpdates => Volatile.Read(ref _maxUpdates);

    public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default)
    {
        var number = Interlocked.Increment(ref _requests);
        var count = request.Updates?.Count ?? 0;
        Interlocked.Add(ref _updates, count);
        Interlocked.Add(ref _bytes, JsonSerializer.SerializeToUtf8Bytes(request, ProtocolJson.Rest.CheckpointDurableExecutionRequest).Length);
        int max;
        while ((max = Volatile.Read(ref _maxUpdates)) < count && Interlocked.CompareExchange(ref _maxUpdates, count, max) != max)
        {
        }

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        }

        return new CheckpointDurableExecutionResponse { CheckpointToken = "token-" + number.ToString(CultureInfo.InvariantCulture) };
    }

    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new GetDurableExecutionStateResponse());
}
