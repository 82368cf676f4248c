using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using DurableGen.TestSupport.FaultModel;

namespace DurableGen.Benchmarks;

/// <summary>
/// <c>--soak-faults</c> (issue 19): the crash-anywhere property at scale, in process. Each random program runs once
/// without faults and once with up to four faults of every kind (crashes, lost responses, 5xx, 429, timeouts with a
/// checkpoint in flight, duplicate deliveries), and <see cref="FaultCheck"/> compares the runs and checks the history
/// invariants. Prints the programs run, the faults fired per kind, every divergence with the arguments that reproduce
/// it, and the elapsed time. Not a test: 100,000 programs take an hour or more.
/// </summary>
/// <remarks>
/// Options: <c>--programs N</c> (100000), <c>--seed S</c> (random; case i is generated from stream i of seed S),
/// <c>--from I</c> (first case index, 0: <c>--seed S --from I --programs 1</c> reruns case I), <c>--parallel P</c>
/// (cases in flight, the processor count), <c>--minutes M</c> (start no case after M minutes: "as many as fit").
/// </remarks>
internal static class FaultSoak
{
    public static async Task<int> RunAsync(string[] args)
    {
        var programs = Measurement.PositiveOption(args, "--programs", 100_000);
        var parallel = Measurement.PositiveOption(args, "--parallel", Environment.ProcessorCount);
        var from = Measurement.Option(args, "--from") is { } first ? int.Parse(first, CultureInfo.InvariantCulture) : 0;
        var seed = Measurement.Seed(args);
        var budget = Measurement.Budget(args);
        Console.WriteLine($"fault soak: {programs} programs from case {from}, seed {seed}, {parallel} in flight, " +
                          $"faults: {string.Join(", ", FaultCase.AllKinds)}");
        Console.WriteLine($"load average before: {Measurement.LoadAverage()}");

        var generator = FaultCase.Generator(FaultCase.AllKinds);
        var stats = new FaultStats();
        var divergences = new ConcurrentQueue<(int Index, string Message)>();
        var watch = Stopwatch.StartNew();
        var next = from - 1;
        var done = 0;
        var workers = Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= from + programs || (budget != Timeout.InfiniteTimeSpan && watch.Elapsed > budget))
                {
                    return;
                }

                var testCase = generator.Generate(new PCG((uint)index, seed), null, out Size _);
                try
                {
                    await FaultCheck.CheckAsync(testCase, stats);
                }
                catch (Exception ex)
                {
                    var message = $"case {index} (--seed {seed} --from {index} --programs 1): {FaultCheck.Print(testCase)}\n{ex}";
                    divergences.Enqueue((index, message));
                    Console.WriteLine("DIVERGENCE " + message);
                }

                var count = Interlocked.Increment(ref done);
                if (count % 1000 == 0)
                {
                    Console.WriteLine($"  {count} programs, {divergences.Count} divergences, {watch.Elapsed:hh\\:mm\\:ss} " +
                                      $"({count / watch.Elapsed.TotalSeconds:F1} programs/s)");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        watch.Stop();

        Console.WriteLine($"programs:          {done} ({stats.Cases} checked to the end)");
        foreach (var kind in FaultCase.AllKinds)
        {
            Console.WriteLine($"  {kind + ":",-20} {stats.FiredOf(kind)} fired");
        }

        Console.WriteLine($"divergences:       {divergences.Count}" +
                          (divergences.IsEmpty ? "" : " (cases " + string.Join(", ", divergences.Select(d => d.Index).Order()) + ")"));
        Console.WriteLine($"elapsed:           {watch.Elapsed:hh\\:mm\\:ss} ({done / watch.Elapsed.TotalSeconds:F1} programs/s, " +
                          $"{parallel} in flight)");
        Console.WriteLine($"load average after: {Measurement.LoadAverage()}");
        Console.WriteLine($"details:           {stats}");
        return divergences.IsEmpty ? 0 : 1;
    }
}
