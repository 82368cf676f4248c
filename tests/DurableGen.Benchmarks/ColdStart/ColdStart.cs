using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.TestSupport;

namespace DurableGen.Benchmarks;

/// <summary>
/// <c>--cold-start</c>: the Native AOT sample (samples/OrderApproval) against a bare AOT hello-world Lambda runtime
/// (ColdStart/HelloAot) published the same way — binary sizes, and the time from Process.Start to the first response
/// post on a fake Runtime API, alternating the binaries round by round so a change in the machine's load hits both.
/// </summary>
internal static class ColdStart
{
    private const string HelloProject = "tests/DurableGen.Benchmarks/ColdStart/HelloAot";
    private const string SampleProject = "samples/OrderApproval";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the mode; returns the exit code (1 when a publish or a run failed).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ColdStartOptions options;
        try
        {
            options = ColdStartOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        // Request stamps and the children's output are handled on the pool; with the default minimum of one thread per
        // core, a blocked pool would add thread-injection delays (hundreds of ms) to what is being timed.
        ThreadPool.SetMinThreads(16, 16);
        try
        {
            await RunCoreAsync(options);
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static async Task RunCoreAsync(ColdStartOptions options)
    {
        // Fixed folders, overwritten by each run: repeated runs do not pile up binaries in the temp folder.
        var outputs = Path.Combine(Path.GetTempPath(), "durablegen-coldstart", options.Architecture);
        var sample = options.Sample
                     ?? await AotPublisher.PublishAsync(RepositoryRoot.Path, SampleProject, Path.Combine(outputs, "sample"), options.Architecture);
        var hello = options.Hello
                    ?? await AotPublisher.PublishAsync(RepositoryRoot.Path, HelloProject, Path.Combine(outputs, "hello"), options.Architecture);

        var (envelope, result) = await SampleEnvelope.CreateAsync();
        var variants = new[]
        {
            new ColdStartVariant("hello", hello, new Dictionary<string, string>(),
                body => body == """{"message":"hello"}""" ? null : "unexpected body " + body),
            new ColdStartVariant("sample", sample, new Dictionary<string, string>(),
                body => SampleEnvelope.Check(body, result)),
            // The same binary without building the Lambda HTTP service client (SigV4, credentials, endpoint): shows how
            // much of the sample's extra time is that client's initialization.
            new ColdStartVariant("sample, replay-only", sample,
                new Dictionary<string, string> { [DurableLambdaHost.ServiceClientVariable] = "replay-only" },
                body => SampleEnvelope.Check(body, result)),
        };

        Console.WriteLine();
        Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, " +
                          $"{RuntimeInformation.FrameworkDescription} (this process); bootstraps for {options.Architecture}" +
                          (options.Architecture == DurableGen.Deployment.CrossToolchain.HostArchitecture ? "" : ", run under qemu-user"));
        Console.WriteLine($"event: {SampleEnvelope.Function} envelope of {envelope.Length:N0} bytes, every record present " +
                          "(a pure replay), sent to every variant");
        var loadBefore = Measurement.LoadAverage();
        Console.WriteLine($"load average before: {loadBefore}");
        Console.WriteLine();

        var timings = variants.ToDictionary(v => v, _ => new List<ColdStartTiming>());
        Console.WriteLine("ms from Process.Start to the response post (init: to the first next call + invoke: from there)");
        Console.WriteLine($"round  {string.Join("  ", variants.Select(v => $"{v.Name,-22}"))}");
        for (var round = -options.Warmup + 1; round <= options.Runs; round++)
        {
            var line = new StringBuilder(round <= 0 ? "warm " : $"{round,5}");
            foreach (var variant in variants)
            {
                var timing = await MeasureAsync(variant, envelope, $"cold-{round}-{Array.IndexOf(variants, variant)}");
                line.Append($"  {$"{timing.TotalMs,6:0.0} ({timing.InitMs:0.0} + {timing.InvokeMs:0.0})",-22}");
                if (round > 0)
                {
                    timings[variant].Add(timing);
                }
            }

            Console.WriteLine(line);
        }

        var loadAfter = Measurement.LoadAverage();
        Report(variants, timings, options, loadBefore, loadAfter);
        if (options.Sample is null || options.Hello is null)
        {
            Console.WriteLine();
            Console.WriteLine($"To measure these binaries again without publishing: --cold-start --sample {sample} " +
                              $"--hello {hello} --arch {options.Architecture}");
        }
    }

    private static async Task<ColdStartTiming> MeasureAsync(ColdStartVariant variant, byte[] envelope, string requestId)
    {
        // A Runtime API of its own for every run: a killed process's last next call, which can reach a shared listener
        // after the following run is armed, would otherwise take that run's event and leave its process waiting.
        using var api = ColdStartRuntimeApi.Start();
        var posted = api.Arm(requestId, envelope);
        var start = variant.CreateStartInfo(api.Address);
        var tail = new OutputTail();
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{variant.Bootstrap} did not start.");
        process.OutputDataReceived += (_, e) => tail.Add(e.Data);
        process.ErrorDataReceived += (_, e) => tail.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var answered = await Task.WhenAny(posted, Task.Delay(RunTimeout)) == posted;
        if (!process.HasExited)
        {
            process.Kill();
        }

        // Not WaitForExitAsync: it also waits for the end of the redirected output, which never comes if the bootstrap
        // left a child holding the pipe (a wrapper script around strace, say).
        process.WaitForExit(10_000);
        api.Disarm();
        if (!answered)
        {
            throw new InvalidOperationException(
                $"{variant.Name} posted nothing within {RunTimeout.TotalSeconds:0} s (exit code {process.ExitCode}). Output:\n{tail}");
        }

        var post = await posted;
        var problem = post.Kind != "response" ? $"posted {post.Kind}: {post.Detail}" : variant.Check(post.Detail);
        if (problem is not null)
        {
            throw new InvalidOperationException($"{variant.Name} did not answer as expected: {problem}\nOutput:\n{tail}");
        }

        return new ColdStartTiming(Stopwatch.GetElapsedTime(started, post.PostTimestamp).TotalMilliseconds,
            Stopwatch.GetElapsedTime(started, post.FirstNextTimestamp).TotalMilliseconds,
            Stopwatch.GetElapsedTime(post.FirstNextTimestamp, post.PostTimestamp).TotalMilliseconds);
    }

    private static void Report(ColdStartVariant[] variants, Dictionary<ColdStartVariant, List<ColdStartTiming>> timings,
        ColdStartOptions options, string loadBefore, string loadAfter)
    {
        var hello = variants[0];
        var sample = variants[1];
        var helloBytes = new FileInfo(hello.Bootstrap).Length;
        var sampleBytes = new FileInfo(sample.Bootstrap).Length;
        Console.WriteLine();
        Console.WriteLine("binary size, stripped (the .dbg beside it is not deployed; 1 MB = 1,000,000 bytes)");
        Console.WriteLine($"  hello   {helloBytes,12:N0} bytes  {helloBytes / 1e6,6:0.00} MB   {hello.Bootstrap}");
        Console.WriteLine($"  sample  {sampleBytes,12:N0} bytes  {sampleBytes / 1e6,6:0.00} MB   {sample.Bootstrap}");
        Console.WriteLine();
        Console.WriteLine($"cold start, ms: Process.Start to the first response post ({options.Runs} runs each, " +
                          $"after {options.Warmup} warm-up round(s))");
        Console.WriteLine($"  {"",-20} {"median",8} {"p90",8} {"min",8} {"max",8}   {"init median",11} {"invoke median",13}");
        var summaries = variants.ToDictionary(v => v, v => ColdStartSummary.Of(timings[v]));
        foreach (var variant in variants)
        {
            var s = summaries[variant];
            Console.WriteLine($"  {variant.Name,-20} {s.Median,8:0.0} {s.P90,8:0.0} {s.Min,8:0.0} {s.Max,8:0.0}   " +
                              $"{s.InitMedian,11:0.0} {s.InvokeMedian,13:0.0}");
        }

        Console.WriteLine();
        Console.WriteLine($"ratio sample/hello: size {(double)sampleBytes / helloBytes:0.00}, median cold start " +
                          $"{summaries[sample].Median / summaries[hello].Median:0.00} " +
                          $"(p90 {summaries[sample].P90 / summaries[hello].P90:0.00})");
        Console.WriteLine($"load average before: {loadBefore}");
        Console.WriteLine($"load average after:  {loadAfter}");
    }

    /// <summary>The last lines a bootstrap wrote, for the message when a run fails.</summary>
    private sealed class OutputTail
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > 40)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
