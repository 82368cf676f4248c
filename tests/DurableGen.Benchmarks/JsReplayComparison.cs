using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.TestSupport;

namespace DurableGen.Benchmarks;

/// <summary>
/// <c>--js-replay [--runs N]</c>: the replay workload of <see cref="ReplayBenchmarks.Replay"/> (N completed steps
/// replayed through the hosting entry point with an in-memory client) in DurableGen and in the official JS SDK
/// (<c>js/replay.mjs</c>, the SDK installed from npm by this mode when missing), alternately in the same run, at 1,000
/// and 10,000 steps; prints each side's median µs per step and their ratio. Both sides warm up first (JIT and their id
/// caches), as a warm sandbox is, for the same time (<c>--warmup-seconds</c>, default 2): a fixed three invocations
/// (before stop 31) ended long before either runtime's optimising JIT had compiled the hot path, since .NET's tiered
/// compilation waits 100 ms without new methods before it counts calls, and three invocations of 1,000 steps take
/// a few milliseconds.
/// </summary>
public static class JsReplayComparison
{
    private static readonly int[] Sizes = [1_000, 10_000];

    /// <summary>Runs the comparison; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Measurement.PositiveOption(args, "--runs", 21);
        var warmup = TimeSpan.FromSeconds(Measurement.PositiveOption(args, "--warmup-seconds", 2));
        var directory = RepositoryRoot.Combine("tests", "DurableGen.Benchmarks", "js");
        if (!File.Exists(Path.Combine(directory, "node_modules", "@aws", "durable-execution-sdk-js", "package.json")))
        {
            var (code, output) = Run("npm", directory, "ci", "--no-audit", "--no-fund");
            if (code != 0)
            {
                Console.Error.WriteLine($"npm ci in {directory} failed ({code}):\n{output}");
                return 1;
            }
        }

        Console.WriteLine($"Load average before: {Measurement.LoadAverage()} ({Environment.ProcessorCount} cores)");
        Console.WriteLine("| N | DurableGen µs/step (median) | JS SDK 2.4.0 µs/step (median) | JS / DurableGen |");
        Console.WriteLine("|--:|--:|--:|--:|");
        foreach (var n in Sizes)
        {
            var benchmark = new ReplayBenchmarks { N = n };
            benchmark.Setup();
            var warming = Stopwatch.StartNew();
            while (warming.Elapsed < warmup)
            {
                await benchmark.Replay();
            }

            var ours = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                await benchmark.Replay();
                ours.Add(watch.Elapsed.TotalMicroseconds / n);
            }

            var (jsCode, jsOutput) = Run("node", directory, "replay.mjs", n.ToString(CultureInfo.InvariantCulture),
                runs.ToString(CultureInfo.InvariantCulture),
                warmup.TotalMilliseconds.ToString(CultureInfo.InvariantCulture));
            if (jsCode != 0)
            {
                Console.Error.WriteLine($"node replay.mjs {n} failed ({jsCode}):\n{jsOutput}");
                return 1;
            }

            var line = jsOutput.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
            var js = JsonDocument.Parse(line).RootElement.GetProperty("medianMicrosPerStep").GetDouble();
            var median = Measurement.Median(ours);
            Console.WriteLine($"| {n:N0} | {median:0.000} | {js:0.0} | {js / median:0.0}× |");
        }

        Console.WriteLine($"Load average after: {Measurement.LoadAverage()}");
        return 0;
    }

    private static (int Code, string Output) Run(string file, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
