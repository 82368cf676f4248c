using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Client;
using DurableGen.Emulator.Store;
using DurableGen.LocalService;
using DurableGen.Protocol;
using DurableGen.TestFunctions;

namespace DurableGen.Benchmarks;

/// <summary>
/// <c>--local-service</c>: end-to-end throughput of the local service for the five-step test workflow, and the
/// checkpoint round trip as the SDK sees it. Not BenchmarkDotNet: a run is hundreds of executions across processes
/// and sockets, so it prints medians of repeated rounds instead.
/// </summary>
/// <remarks>
/// Each round starts <c>N</c> executions at once with <c>Invoke</c> (<c>Event</c>) over HTTP and ends when the last
/// one closes; executions per second = N / that time. Scenarios: the function as its own process (what
/// <c>durablegen run</c> does: one Lambda sandbox), and K Runtime API loops in this process (K sandboxes) whose
/// service client is the real SigV4 HTTP client wrapped to time every <c>CheckpointDurableExecution</c> call. Each on
/// the SQLite store (what local runs use) and in memory (what the SQLite writes cost).
/// </remarks>
internal static class LocalServiceThroughput
{
    /// <summary>The warm-up ends with a round whose JIT time is at most this share of its CPU time.</summary>
    private const double SettledJitShare = 0.02;

    /// <summary>... or after this many executions, settled or not.</summary>
    private const int MaxWarmupExecutions = 20_000;

    /// <summary>The SQLite store's writer thread as the operating system names it (the store's
    /// <c>SqliteGroupCommitWriter.WriterThreadName</c>, internal to the emulator).</summary>
    private const string SqliteWriterThread = "SQLite writer";

    /// <summary>Issue 16's target for the checkpoint round trip's p99.</summary>
    private const double TargetP99Milliseconds = 5.0;

    public static async Task<int> RunAsync(string[] args)
    {
        var executions = Measurement.PositiveOption(args, "--executions", 200);
        var rounds = Measurement.PositiveOption(args, "--rounds", 3);
        // At least this many executions to warm up; the warm-up goes on until the JIT has settled (see RunScenarioAsync).
        var warmup = Measurement.PositiveOption(args, "--warmup", 1000);
        var durability = args.Contains("--fsync") ? CommitDurability.PowerLoss : CommitDurability.ProcessCrash;
        // --stores sqlite|memory and --sandboxes process,1,4 pick scenarios (default: all), e.g. to profile one.
        var stores = (Measurement.Option(args, "--stores") ?? "sqlite,memory").Split(',');
        var sandboxes = (Measurement.Option(args, "--sandboxes") ?? "process,1,4").Split(',');
        // The project's own output, not the copy beside this benchmark: that one resolves its dependencies against
        // this app's frameworks (ASP.NET Core here), not its own.
        var processDll = DurableGen.TestSupport.RepositoryRoot.Combine("tests", "DurableGen.TestFunctions", "bin", Configuration,
            "net10.0", "DurableGen.TestFunctions.dll");
        Console.WriteLine($"Local service throughput: five-step workflow, {executions} executions per round, median of {rounds} rounds after a warm-up of at least {warmup} that ends once the JIT has settled; SQLite commits survive {(durability == CommitDurability.PowerLoss ? "a power cut (fsync)" : "a crash of the service")}");
        Console.WriteLine($"load average before: {Measurement.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| Store  | Sandboxes                 | Executions/s | CPU ms/execution | of it JIT | of it SQLite writer | Switches/execution | KB allocated/execution | Gen-0 GCs/100 executions | GC paused | Checkpoints/execution | Checkpoint p50 | p99      | over {TargetP99Milliseconds:0} ms | max      |");
        Console.WriteLine("|--------|---------------------------|-------------:|-----------------:|----------:|--------------------:|-------------------:|-----------------------:|-------------------------:|----------:|----------------------:|---------------:|---------:|----------:|---------:|");
        foreach (var sqlite in new[] { true, false }.Where(s => stores.Contains(s ? "sqlite" : "memory")))
        {
            foreach (var scenario in sandboxes.Select(Scenario.Parse))
            {
                var results = await RunScenarioAsync(sqlite, durability, scenario, processDll, executions, rounds, warmup);
                var rate = Measurement.Median(results.Select(r => r.ExecutionsPerSecond));
                var cpu = Measurement.Median(results.Select(r => r.CpuMillisecondsPerExecution));
                var jit = Measurement.Median(results.Select(r => r.JitMillisecondsPerExecution));
                var writer = sqlite ? Measurement.Median(results.Select(r => r.WriterMillisecondsPerExecution)).ToString("0.00", CultureInfo.InvariantCulture) : "-";
                var switches = Measurement.Median(results.Select(r => r.SwitchesPerExecution));
                var allocated = Measurement.Median(results.Select(r => r.KilobytesAllocatedPerExecution));
                var collections = Measurement.Median(results.Select(r => r.Gen0CollectionsPer100Executions));
                var paused = Measurement.Median(results.Select(r => r.GcPausedShare));
                var latencies = results.SelectMany(r => r.CheckpointMilliseconds).OrderBy(x => x).ToArray();
                var perExecution = latencies.Length == 0 ? "-" : (latencies.Length / (double)(executions * rounds)).ToString("0.0", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(sqlite ? "SQLite" : "memory"),-6} | {scenario.Label,-25} | {rate,12:0.0} | {cpu,16:0.00} | {jit,9:0.00} | {writer,19} | {switches,18:0.0} | {allocated,22:0.0} | {collections,24:0.0} | {paused,9:0.0%} | {perExecution,21} | {Ms(Measurement.Percentile(latencies, 0.50)),14} | {Ms(Measurement.Percentile(latencies, 0.99)),8} | {OverTarget(latencies),9} | {Ms(latencies.LastOrDefault(double.NaN)),8} |"));
            }
        }

        Console.WriteLine();
        var steps = Measurement.PositiveOption(args, "--history-steps", 2000);
        if (args.Contains("--no-history"))
        {
            Console.WriteLine($"load average after: {Measurement.LoadAverage()}");
            return 0;
        }

        Console.WriteLine($"Checkpoint round trip against history size: one execution of {steps} steps in one invocation (one sandbox)");
        Console.WriteLine();
        Console.WriteLine("| Store  | Checkpoints | p50 of the first 100 | p50 of the last 100 | last / first |");
        Console.WriteLine("|--------|------------:|---------------------:|--------------------:|-------------:|");
        foreach (var sqlite in new[] { true, false })
        {
            var latencies = await RunLongExecutionAsync(sqlite, durability, steps);
            var first = Measurement.Median(latencies.Take(100));
            var last = Measurement.Median(latencies.TakeLast(100));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(sqlite ? "SQLite" : "memory"),-6} | {latencies.Length,11} | {Ms(first),20} | {Ms(last),19} | {last / first,12:0.00} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"load average after: {Measurement.LoadAverage()}");
        return 0;
    }

    /// <summary>A service on a fresh SQLite database in <paramref name="directory"/>, or in memory.</summary>
    private static LocalServiceOptions Options(bool sqlite, CommitDurability durability, string directory) => new()
    {
        DatabasePath = sqlite ? Path.Combine(directory, "executions.db") : null,
        CommitDurability = durability,
    };

    /// <summary>The checkpoint latencies, in order, of one execution of <paramref name="steps"/> steps.</summary>
    private static async Task<double[]> RunLongExecutionAsync(bool sqlite, CommitDurability durability, int steps)
    {
        var directory = Directory.CreateTempSubdirectory("durablegen-bench-").FullName;
        try
        {
            var options = Options(sqlite, durability, directory);
            options.Functions.Add(new FunctionDefinition { Name = "many-steps" });
            await using var service = new LocalDurableService(options);
            await service.StartAsync();
            using var stop = new CancellationTokenSource();
            var latencies = new List<double>();
            var loop = RunSandboxAsync(service, "many-steps", ManyStepsWorkflow.Registration, latencies, stop.Token);
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            var arn = await StartAsync(http, "many-steps", $"{{\"Count\":{steps}}}");
            var closed = await service.WaitForCloseAsync(arn, TimeSpan.FromMinutes(10));
            if (closed.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"The {steps}-step execution ended {closed.Status}: {closed.Error?.ErrorMessage}");
            }

            await stop.CancelAsync();
            await loop;
            lock (latencies)
            {
                return latencies.ToArray();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>One service (fresh database) and its sandboxes for all rounds of a scenario, so that only the
    /// first, unmeasured round pays for process start and JIT.</summary>
    private static async Task<List<RoundResult>> RunScenarioAsync(bool sqlite, CommitDurability durability, Scenario scenario,
        string processDll, int executions, int rounds, int warmup)
    {
        var directory = Directory.CreateTempSubdirectory("durablegen-bench-").FullName;
        var latencies = new List<double>();
        try
        {
            var options = Options(sqlite, durability, directory);
            var function = new FunctionDefinition { Name = "five-steps" };
            if (scenario.Loops == 0)
            {
                function.Command = "dotnet";
                function.Arguments.Add(processDll);
            }

            options.Functions.Add(function);
            await using var service = new LocalDurableService(options);
            await service.StartAsync();
            using var stop = new CancellationTokenSource();
            var loops = Enumerable.Range(0, scenario.Loops)
                .Select(_ => RunSandboxAsync(service, "five-steps", FiveStepsWorkflow.Registration, latencies, stop.Token)).ToList();
            using var http = new HttpClient { BaseAddress = service.BaseAddress };

            // Warm up in rounds like the measured ones until the JIT is done with them: tiered compilation went on
            // compiling (a third of the CPU in a perf profile, 1-4 ms per execution) for about 3,800 executions of four
            // sandboxes, so the rounds after a fixed warm-up of 1,000 measured the warm-up as much as the service.
            var warmed = 0;
            while (true)
            {
                var round = await RunRoundAsync(service, http, executions, latencies);
                warmed += executions;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warm-up {warmed}: {round.ExecutionsPerSecond:0}/s, CPU {round.CpuMillisecondsPerExecution:0.00} ms, JIT {round.JitMillisecondsPerExecution:0.000} ms per execution"));
                if (warmed >= warmup && (round.JitMillisecondsPerExecution <= SettledJitShare * round.CpuMillisecondsPerExecution
                                         || warmed >= MaxWarmupExecutions))
                {
                    break;
                }
            }

            var results = new List<RoundResult>();
            for (var round = 0; round < rounds; round++)
            {
                results.Add(await RunRoundAsync(service, http, executions, latencies));
            }

            await stop.CancelAsync();
            await Task.WhenAll(loops);
            return results;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<RoundResult> RunRoundAsync(LocalDurableService service, HttpClient http, int executions,
        List<double> latencies)
    {
        lock (latencies)
        {
            latencies.Clear();
        }

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var switchesBefore = VoluntaryContextSwitches();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var collectionsBefore = GC.CollectionCount(0);
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var pausedBefore = GC.GetTotalPauseDuration();
        var writerBefore = ThreadCpuMilliseconds(SqliteWriterThread);
        var clock = Stopwatch.StartNew();
        var arns = await Task.WhenAll(Enumerable.Range(0, executions).Select(i => StartAsync(http, "five-steps", $"{{\"Seed\":{i}}}")));
        var closed = await Task.WhenAll(arns.Select(arn => service.WaitForCloseAsync(arn, TimeSpan.FromMinutes(5))));
        var elapsed = clock.Elapsed;
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / executions;
        var switches = (VoluntaryContextSwitches() - switchesBefore) / (double)executions;
        var allocated = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / 1024.0 / executions;
        var collections = (GC.CollectionCount(0) - collectionsBefore) * 100.0 / executions;
        var jit = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds / executions;
        var paused = (GC.GetTotalPauseDuration() - pausedBefore) / elapsed;
        var writer = (ThreadCpuMilliseconds(SqliteWriterThread) - writerBefore) / executions;
        var failed = closed.Count(e => e.Status != ExecutionStatus.Succeeded);
        if (failed > 0)
        {
            var first = closed.First(e => e.Status != ExecutionStatus.Succeeded);
            throw new InvalidOperationException(
                $"{failed} of {executions} executions did not succeed: {first.Status} {first.Error?.ErrorType} {first.Error?.ErrorMessage}");
        }

        lock (latencies)
        {
            return new RoundResult(executions / elapsed.TotalSeconds, latencies.ToArray(), cpu, switches, allocated, collections, jit,
                paused, writer);
        }
    }

    /// <summary>One Lambda sandbox in this process: the Runtime API loop, with a timed service client.</summary>
    private static async Task RunSandboxAsync(LocalDurableService service, string function,
        DurableWorkflowRegistration workflow, List<double> latencies, CancellationToken cancellationToken)
    {
        using var client = new LambdaDurableServiceClient(new DurableClientOptions
        {
            Endpoint = service.BaseAddress,
            Region = "us-east-1",
            Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDLOCALDURABLEGEN", "local-durablegen-secret-key"),
        });
        var options = new DurableLambdaHostOptions
        {
            RuntimeApi = service.RuntimeApiFor(function),
            Handler = function,
            ServiceClient = new TimedServiceClient(client, latencies),
            Log = TextWriter.Null,
        };
        await DurableLambdaHost.RunAsync(new[] { workflow }, options, cancellationToken);
    }

    private static async Task<string> StartAsync(HttpClient http, string function, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2015-03-31/functions/{function}/invocations")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("X-Amz-Durable-Execution-Arn").Single();
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>The share of checkpoint round trips slower than <see cref="TargetP99Milliseconds"/>: at most 1 % meets
    /// the target, and unlike the p99 it says by how much a run misses or makes it.</summary>
    private static string OverTarget(double[] latencies) =>
        latencies.Length == 0 ? "-"
            : (latencies.Count(x => x > TargetP99Milliseconds) / (double)latencies.Length).ToString("0.00%", CultureInfo.InvariantCulture);

    private static string Ms(double value) =>
        double.IsNaN(value) ? "-" : value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    /// <param name="CpuMillisecondsPerExecution">CPU time of this process (service, and the in-process sandboxes) per
    /// execution: unlike the rates, barely moved by other work on a shared machine.</param>
    /// <param name="SwitchesPerExecution">Voluntary context switches of this process per execution: each is a thread
    /// that went to sleep waiting (a lock, a wake-up, an fsync), so it counts hand-offs between threads, which cost
    /// far more than their CPU time suggests on a loaded virtual machine, and it barely depends on the load.</param>
    /// <param name="KilobytesAllocatedPerExecution">Managed allocations of this process per execution (all threads).</param>
    /// <param name="Gen0CollectionsPer100Executions">Garbage collections (of any generation) per 100 executions: each
    /// suspends every thread of the process.</param>
    /// <param name="JitMillisecondsPerExecution">Time the JIT spent compiling per execution (all threads): part of the CPU
    /// column, and a round that still compiles measures the warm-up as much as the service.</param>
    /// <param name="GcPausedShare">The share of the round's time this process's threads were stopped for garbage
    /// collections: every request in flight then waits, whatever its own cost.</param>
    /// <param name="WriterMillisecondsPerExecution">CPU time of the SQLite store's writer thread per execution: part of
    /// the CPU column, and the one stage every commit passes through in turn.</param>
    private sealed record RoundResult(double ExecutionsPerSecond, double[] CheckpointMilliseconds, double CpuMillisecondsPerExecution,
        double SwitchesPerExecution, double KilobytesAllocatedPerExecution, double Gen0CollectionsPer100Executions,
        double JitMillisecondsPerExecution, double GcPausedShare, double WriterMillisecondsPerExecution);

    /// <summary>CPU time (user and system) so far of this process's threads named <paramref name="name"/> as the
    /// operating system shows it (<c>/proc/self/task</c>; NaN off Linux or when no thread has that name).</summary>
    private static double ThreadCpuMilliseconds(string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        var ticks = 0L;
        var found = false;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != name)
                {
                    continue;
                }

                // Fields after the parenthesised name: state is the first, utime the 12th and stime the 13th.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                found = true;
            }
            catch (IOException)
            {
                // the thread ended between the listing and the read
            }
        }

        return found ? ticks * 1000.0 / ClockTicksPerSecond() : double.NaN;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SystemConfiguration(int name);

    private static double ClockTicksPerSecond() => SystemConfiguration(2); // _SC_CLK_TCK

    /// <summary>Voluntary context switches of every thread of this process so far (getrusage; NaN off Linux).</summary>
    private static double VoluntaryContextSwitches() =>
        OperatingSystem.IsLinux() && GetResourceUsage(0, out var usage) == 0 ? usage.VoluntarySwitches : double.NaN;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    /// <summary>Linux x64 <c>struct rusage</c>: two timevals, then 14 longs (voluntary switches is the 13th).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResident, SharedMemory, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps, BlocksIn,
            BlocksOut, MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }

    /// <summary>Zero loops = the function as its own process, started by the service.</summary>
    private sealed record Scenario(int Loops, string Label)
    {
        public static Scenario Process { get; } = new(0, "1 (own process)");

        public static Scenario InProcess(int loops) => new(loops, $"{loops} (in-process, timed)");

        /// <summary><c>process</c>, or a number of in-process sandboxes.</summary>
        public static Scenario Parse(string text) => text == "process" ? Process
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var loops) && loops > 0 ? InProcess(loops)
            : throw new ArgumentException($"--sandboxes takes 'process' or a positive number, not '{text}'.");
    }

    /// <summary>Times each checkpoint round trip of the real HTTP client.</summary>
    private sealed class TimedServiceClient(IDurableServiceClient inner, List<double> latencies) : IDurableServiceClient
    {
        public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
            CancellationToken cancellationToken = default)
        {
            var start = Stopwatch.GetTimestamp();
            var response = await inner.CheckpointAsync(request, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (latencies)
            {
                latencies.Add(elapsed);
            }

            return response;
        }

        public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
            CancellationToken cancellationToken = default) =>
            inner.GetExecutionStateAsync(request, cancellationToken);
    }
}
