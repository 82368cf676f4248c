using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DurableGen.Benchmarks;

/// <summary>
/// Runs the benchmarks. <c>--quick</c> uses a short job (one process, 3 warm-ups, 9 measured iterations: about two
/// minutes for everything on two cores) and, unless a <c>--filter</c> is given, runs every benchmark; any other
/// arguments go to BenchmarkDotNet as usual (e.g. <c>--filter *Replay*</c>, <c>--job short</c>). <c>--map-stats</c> prints
/// the checkpoint requests and bytes per item of the map benchmark instead of timing anything. <c>--cold-start</c>
/// publishes the sample and a bare hello-world with Native AOT and compares their sizes and cold starts
/// (<see cref="ColdStartOptions"/>). <c>--local-service</c> measures executions per second and checkpoint latency on
/// the local service (<see cref="LocalServiceThroughput"/>). <c>--analyzer-cost</c> times builds of a generated project
/// with and without the DG2xxx analyzers. <c>--sqlite-floor</c> times SQLite transactions shaped like the execution
/// store's commits (<see cref="SqliteFloor"/>). <c>--js-replay</c> compares replay per step with the official JS SDK
/// (<see cref="JsReplayComparison"/>). <c>--soak-kill</c> runs random workflows on the local service while killing its
/// function processes and the service itself (<see cref="KillSoak"/>). <c>--soak-faults</c> runs random workflows in
/// process with every fault kind of the host kit against a fault-free reference (<see cref="FaultSoak"/>). <c>--in-process</c> runs the BenchmarkDotNet jobs in this process instead of
/// a generated and rebuilt one (whose build can outlast BenchmarkDotNet's two-minute limit on a loaded machine).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--map-stats"))
        {
            // Not a BenchmarkDotNet run: checkpoint requests and bytes per item of the map benchmark's workflow.
            return MapCheckpointStats.PrintAsync().GetAwaiter().GetResult();
        }

        if (args.Contains("--local-service"))
        {
            // Not a BenchmarkDotNet run: executions per second and checkpoint latency on the local service.
            return LocalServiceThroughput.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Contains("--soak-kill"))
        {
            // Not a BenchmarkDotNet run: random workflows on the local service while its processes are killed (-9).
            return KillSoak.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Contains("--soak-faults"))
        {
            // Not a BenchmarkDotNet run: random workflows in process, with every fault kind, against a fault-free reference.
            return FaultSoak.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Contains("--cold-start"))
        {
            // Not a BenchmarkDotNet run: the AOT sample's size and process cold start against a bare AOT hello-world.
            return ColdStart.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Contains("--js-replay"))
        {
            // Not a BenchmarkDotNet run: the replay workload in DurableGen and in the official JS SDK, side by side.
            return JsReplayComparison.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Contains("--sqlite-floor"))
        {
            // Not a BenchmarkDotNet run: SQLite's own cost per transaction, rows shaped like the execution store's.
            return SqliteFloor.Run(args);
        }

        if (args.Contains("--analyzer-cost"))
        {
            // Not a BenchmarkDotNet run: build times of a generated 200-workflow project with the analyzers on and off.
            return AnalyzerCost.Run(args);
        }

        var quick = args.Contains("--quick");
        var inProcess = args.Contains("--in-process");
        var rest = args.Where(a => a is not "--quick" and not "--in-process").ToArray();
        if (quick && !rest.Contains("--filter"))
        {
            rest = rest.Concat(new[] { "--filter", "*" }).ToArray();
        }

        var config = DefaultConfig.Instance
            .AddColumn(PerOperationColumn.MedianNanoseconds, PerOperationColumn.AllocatedBytes);
        if (quick)
        {
            // ShortRun's 3 iterations are too few on a shared 2-core machine; 9 keep the median stable.
            var job = Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(9).WithId("Quick");
            config = config.AddJob(inProcess ? job.WithToolchain(InProcessEmitToolchain.Instance) : job);
        }
        else if (inProcess)
        {
            config = config.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
