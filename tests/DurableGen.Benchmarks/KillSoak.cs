using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using DurableGen.LocalService;
using DurableGen.Protocol;
using DurableGen.Testing;
using DurableGen.TestFunctions;
using DurableGen.TestSupport.RandomPrograms;

namespace DurableGen.Benchmarks;

/// <summary>
/// <c>--soak-kill</c> (issue 14): random workflow programs (the crash tests' model) run on the local service over HTTP
/// as real function processes, while function processes and the service itself are killed with SIGKILL at random
/// moments (the service is restarted on its SQLite file, on the same port). Every execution must end with the result
/// the in-process runner gives for the same program, and no step may run more often than its semantics allow: an
/// at-most-once attempt at most once, and no step past its last allowed attempt. Not a test: a run of 1,000
/// executions takes many minutes.
/// </summary>
/// <remarks>
/// Options: <c>--executions N</c> (1000), <c>--seed S</c> (random; program i is generated from stream i and seed S, so
/// a run is reproducible), <c>--parallel P</c> (executions in flight, 24), <c>--kill-seconds K</c> (mean seconds between
/// kills, 6), <c>--service-kill-percent Q</c> (share of kills that hit the service, 15), <c>--minutes M</c> (start no
/// execution after M minutes, finish those in flight and report: "as many as fit"). The service runs in a child
/// process of this one (<c>--soak-service</c>) so that it can be killed like any other process.
/// </remarks>
internal static class KillSoak
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan ExecutionDeadline = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--soak-service"))
        {
            return await ServeAsync(args);
        }

        var executions = Measurement.PositiveOption(args, "--executions", 1000);
        var parallel = Measurement.PositiveOption(args, "--parallel", 24);
        var killSeconds = Measurement.PositiveOption(args, "--kill-seconds", 6);
        var serviceKillPercent = Measurement.PositiveOption(args, "--service-kill-percent", 15);
        var seed = Measurement.Seed(args);
        var budget = Measurement.Budget(args);
        var directory = Directory.CreateTempSubdirectory("durablegen-soak-").FullName;
        Console.WriteLine($"kill -9 soak: {executions} executions, seed {seed}, {parallel} in flight, a kill every ~{killSeconds} s " +
                          $"({serviceKillPercent}% of them the service); work in {directory}");
        Console.WriteLine($"load average before: {Measurement.LoadAverage()}");

        var watch = Stopwatch.StartNew();
        await using var service = await SoakService.StartAsync(Path.Combine(directory, "executions.db"), parallel);
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var stats = new SoakStats();
        using var stop = new CancellationTokenSource();
        var killer = KillAtRandomAsync(service, killSeconds, serviceKillPercent, seed, stats, stop.Token);

        var next = -1;
        var workers = Enumerable.Range(0, parallel).Select(async _ =>
        {
            int index;
            while ((budget == Timeout.InfiniteTimeSpan || watch.Elapsed < budget)
                   && (index = Interlocked.Increment(ref next)) < executions)
            {
                await RunOneAsync(http, directory, seed, index, stats);
                if (index % 50 == 49)
                {
                    Console.WriteLine($"  {stats.Finished} done, {stats.Summary()} ({watch.Elapsed.TotalSeconds:0} s)");
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await killer;
        watch.Stop();

        Console.WriteLine();
        Console.WriteLine($"executions:        {stats.Finished}");
        Console.WriteLine($"kills:             {stats.FunctionKills} function processes, {stats.ServiceKills} service");
        Console.WriteLine($"divergences:       {stats.Divergences.Count}");
        Console.WriteLine($"over-run steps:    {stats.OverRuns.Count}");
        Console.WriteLine($"gave up:           {stats.GaveUp.Count} (failed after five killed invocations in a row: the engine's retry budget)");
        Console.WriteLine($"step bodies run:   {stats.StepRuns} ({stats.RepeatedAttempts} attempts ran again after a kill, as at-least-once allows)");
        Console.WriteLine($"seed:              {seed} (program i: stream i of this seed)");
        Console.WriteLine($"wall time:         {watch.Elapsed.TotalSeconds:0} s");
        Console.WriteLine($"load average after: {Measurement.LoadAverage()}");
        if (stats.Divergences.IsEmpty && stats.OverRuns.IsEmpty)
        {
            Directory.Delete(directory, recursive: true);
            return 0;
        }

        return 1;
    }

    /// <summary>Program <paramref name="index"/> of a run: stream <paramref name="index"/> of the seed.</summary>
    private static IReadOnlyList<Node> Program(ulong seed, int index) =>
        ProgramGenerators.Program.Generate(new PCG((uint)index, seed), null, out _);

    private static async Task RunOneAsync(HttpClient http, string directory, ulong seed, int index, SoakStats stats)
    {
        var program = Program(seed, index);
        var text = ProgramText.Write(program);
        var expected = await ReferenceAsync(text, program);
        var journal = Path.Combine(directory, $"journal-{index}.txt");
        var name = $"soak-{index}";
        var payload = Json(writer =>
        {
            writer.WriteString("Program", text);
            writer.WriteString("Journal", journal);
        });

        var deadline = DateTime.UtcNow + ExecutionDeadline;
        var arn = await StartAsync(http, name, payload, deadline);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var callbacks = program.Flatten().OfType<CallbackNode>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        (string Status, string? Result, string? Error)? closed = null;
        while (closed is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
            try
            {
                await AnswerCallbacksAsync(http, arn, callbacks, answered);
                using var document = JsonDocument.Parse(await GetAsync(http, $"2025-12-01/durable-executions/{Uri.EscapeDataString(arn)}"));
                var root = document.RootElement;
                var status = root.GetProperty("Status").GetString()!;
                if (status != "RUNNING")
                {
                    closed = (status, root.TryGetProperty("Result", out var result) ? result.GetString() : null,
                        root.TryGetProperty("Error", out var error) ? error.GetRawText() : null);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // The service is down (killed, restarting): ask again.
            }
        }

        var actual = closed is { } c ? $"{c.Status} {c.Result}{c.Error}" : "still RUNNING after " + ExecutionDeadline;
        if (actual != expected && closed is { Status: "FAILED", Error: { } reason } && KilledTooOften(reason))
        {
            // The engine gives up after five invocations in a row fail (protocol §5.4), and here every one of them was
            // a kill: the retry budget, not a lost or repeated result. Counted apart, never hidden.
            stats.GaveUp.Add(Report($"gave up: execution {index} ({arn}): {reason}"));
        }
        else if (actual != expected)
        {
            stats.Divergences.Add(Report($"divergence: execution {index} ({arn})\n  program: {text}\n  expected: {expected}\n  actual:   {actual}"));
        }

        CheckStepRuns(index, program, journal, stats);
        stats.Finish();
    }

    /// <summary>Prints a problem when it is found (a long run is read while it goes) and returns it for the summary.</summary>
    private static string Report(string problem)
    {
        Console.WriteLine("  " + problem.Replace("\n", "\n  ", StringComparison.Ordinal));
        return problem;
    }

    private static bool KilledTooOften(string error)
    {
        using var document = JsonDocument.Parse(error);
        var type = document.RootElement.TryGetProperty("ErrorType", out var t) ? t.GetString() : null;
        var message = document.RootElement.TryGetProperty("ErrorMessage", out var m) ? m.GetString() ?? "" : "";
        return (type == "Runtime.ExitError" && message.Contains("exit status 137", StringComparison.Ordinal))
               || type == LocalDurableService.OrphanedInvocationError;
    }

    /// <summary>The in-process runner's outcome for the same workflow class and program, callbacks answered as the
    /// soak answers them.</summary>
    private static async Task<string> ReferenceAsync(string text, IReadOnlyList<Node> program)
    {
        var runner = DurableTestRunner.Create(SoakProgramWorkflow.Registration);
        runner.Host.RegisterDurableFunction(IncrementWorkflow.Registration);
        foreach (var callback in program.Flatten().OfType<CallbackNode>())
        {
            runner.OnCallback(callback.Name, answer => callback.Succeeds
                ? answer.SucceedAsync("answer-" + callback.Name)
                : answer.FailAsync("rejected " + callback.Name, "Test.Rejected"));
        }

        var result = await runner.RunAsync(new SoakInput(text));
        var error = result.Error is null ? null : Json(writer =>
        {
            if (result.Error.ErrorType is { } type)
            {
                writer.WriteString("ErrorType", type);
            }

            if (result.Error.ErrorMessage is { } message)
            {
                writer.WriteString("ErrorMessage", message);
            }
        });
        return $"{UpperSnake(result.Status)} {result.ResultText}{error}";
    }

    private static string UpperSnake(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        _ => "STOPPED",
    };

    /// <summary>Starts the execution by name; when a kill hid whether the start was recorded, the name finds it.</summary>
    private static async Task<string> StartAsync(HttpClient http, string name, string payload, DateTime deadline)
    {
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/soak-program/invocations")
                {
                    Content = new StringContent(payload),
                };
                request.Headers.Add("X-Amz-Invocation-Type", "Event");
                request.Headers.Add("X-Amz-Durable-Execution-Name", name);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return response.Headers.GetValues("X-Amz-Durable-Execution-Arn").Single();
                }

                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    using var list = JsonDocument.Parse(await GetAsync(http,
                        $"2025-12-01/functions/soak-program/durable-executions?DurableExecutionName={name}"));
                    return list.RootElement.GetProperty("DurableExecutions")[0].GetProperty("DurableExecutionArn").GetString()!;
                }

                throw new InvalidOperationException($"Invoke of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Answers each started callback of the program once (a kill may hide whether an answer was taken: asking
    /// again then finds the callback closed).</summary>
    private static async Task AnswerCallbacksAsync(HttpClient http, string arn, Dictionary<string, CallbackNode> callbacks,
        HashSet<string> answered)
    {
        if (answered.Count == callbacks.Count)
        {
            return;
        }

        string? marker = null;
        var started = new List<(string Id, CallbackNode Node)>();
        do
        {
            using var page = JsonDocument.Parse(await GetAsync(http, $"2025-12-01/durable-executions/{Uri.EscapeDataString(arn)}/history?MaxItems=1000"
                + (marker is null ? "" : "&Marker=" + Uri.EscapeDataString(marker))));
            foreach (var e in page.RootElement.GetProperty("Events").EnumerateArray())
            {
                if (e.GetProperty("EventType").GetString() == "CallbackStarted"
                    && e.TryGetProperty("Name", out var nameElement)
                    && nameElement.GetString() is { } name
                    && callbacks.TryGetValue(name.EndsWith("-callback", StringComparison.Ordinal) ? name[..^"-callback".Length] : name, out var node))
                {
                    started.Add((e.GetProperty("CallbackStartedDetails").GetProperty("CallbackId").GetString()!, node));
                }
            }

            marker = page.RootElement.TryGetProperty("NextMarker", out var next) ? next.GetString() : null;
        }
        while (marker is not null);

        foreach (var (id, node) in started.Where(s => !answered.Contains(s.Id)))
        {
            var path = $"2025-12-01/durable-execution-callbacks/{Uri.EscapeDataString(id)}/{(node.Succeeds ? "succeed" : "fail")}";
            var body = node.Succeeds
                ? JsonString("answer-" + node.Name)
                : Json(writer =>
                {
                    writer.WriteString("ErrorType", "Test.Rejected");
                    writer.WriteString("ErrorMessage", "rejected " + node.Name);
                });
            using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var code = (int)response.StatusCode;
            if (code == 200 || (code == 400 && response.Headers.TryGetValues("x-amzn-ErrorType", out var type)
                                              && type.Single().StartsWith("CallbackTimeoutException", StringComparison.Ordinal)))
            {
                answered.Add(id); // taken now, or before a kill hid the answer
            }
            else if (code < 500)
            {
                throw new InvalidOperationException($"Answering callback {node.Name}: {code} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>The journal's step runs against the program: an at-most-once attempt ran at most once, and no step
    /// ran an attempt its retry strategy does not allow.</summary>
    private static void CheckStepRuns(int index, IReadOnlyList<Node> program, string journal, SoakStats stats)
    {
        var runs = File.Exists(journal)
            ? File.ReadAllLines(journal).Where(l => l.Length > 0).Select(l => l.Split(' '))
                .Select(p => (Step: p[0], Attempt: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList()
            : new List<(string Step, int Attempt)>();
        stats.AddRuns(runs.Count, runs.GroupBy(r => r).Sum(g => g.Count() - 1));
        foreach (var step in program.Flatten().OfType<StepNode>())
        {
            var mine = runs.Where(r => r.Step == step.Name).ToList();
            var lastAllowed = step.Exhausts ? Math.Max(1, step.FailFirst) : ProgramLimits.MaxAttempts;
            if (mine.Any(r => r.Attempt > lastAllowed))
            {
                stats.OverRuns.Add(Report($"over-run: execution {index}, step {step.Name} ran attempt {mine.Max(r => r.Attempt)} (at most {lastAllowed})"));
            }

            if (step.AtMostOnce && mine.GroupBy(r => r.Attempt).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                stats.OverRuns.Add(Report($"over-run: execution {index}, at-most-once step {step.Name} ran attempt {twice.Key} {twice.Count()} times"));
            }
        }
    }

    /// <summary>Kills a function process or (<paramref name="serviceKillPercent"/>% of the time) the service, at
    /// exponentially distributed intervals of mean <paramref name="killSeconds"/>.</summary>
    private static async Task KillAtRandomAsync(SoakService service, int killSeconds, int serviceKillPercent, ulong seed,
        SoakStats stats, CancellationToken cancellationToken)
    {
        var random = new Random(unchecked((int)seed));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) * killSeconds), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (random.Next(100) < serviceKillPercent)
            {
                await service.KillAndRestartAsync();
                stats.ServiceKill();
            }
            else if (service.FunctionProcesses() is { Count: > 0 } functions)
            {
                try
                {
                    using var victim = Process.GetProcessById(functions[random.Next(functions.Count)]);
                    victim.Kill();
                    stats.FunctionKill();
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // it exited meanwhile
                }
            }
        }
    }

    private static async Task<string> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {path}: {text}");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} from {path}: {text}");
        }

        return text;
    }

    private static string JsonString(string value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Json(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The child-process mode: the local service on a given port and SQLite file, running the soak's two
    /// functions as processes of the test functions' binary, until killed.</summary>
    private static async Task<int> ServeAsync(string[] args)
    {
        var processDll = DurableGen.TestSupport.RepositoryRoot.Combine("tests", "DurableGen.TestFunctions", "bin", Configuration,
            "net10.0", "DurableGen.TestFunctions.dll");
        var concurrency = Math.Min(LocalDurableService.MaxConcurrency, Measurement.PositiveOption(args, "--concurrency", 8));
        var options = new LocalServiceOptions
        {
            Port = Measurement.PositiveOption(args, "--port", 0),
            DatabasePath = Measurement.Option(args, "--db"),
        };
        foreach (var (name, share) in new[] { ("soak-program", 1), (ProgramInterpreter.InvokeTarget, 4) })
        {
            var function = new FunctionDefinition
            {
                Name = name, Command = "dotnet", Handler = name, Concurrency = Math.Max(1, concurrency / share),
            };
            function.Arguments.Add(processDll);
            options.Functions.Add(function);
        }

        await using var service = new LocalDurableService(options);
        await service.StartAsync();
        Console.WriteLine($"soak service on {service.BaseAddress}");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    /// <summary>The service as a child process on a fixed port and database, killed with SIGKILL together with its
    /// function processes (as a machine going down takes them) and started again.</summary>
    private sealed class SoakService : IAsyncDisposable
    {
        private readonly string _database;
        private readonly int _port;
        private readonly int _concurrency;
        private Process _process;

        private SoakService(string database, int port, int concurrency, Process process)
        {
            _database = database;
            _port = port;
            _concurrency = concurrency;
            _process = process;
        }

        public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

        public static async Task<SoakService> StartAsync(string database, int concurrency)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new SoakService(database, port, concurrency, await LaunchAsync(database, port, concurrency));
        }

        /// <summary>SIGKILL of the service and of its function processes. The service is frozen first (SIGSTOP, so no
        /// code of it runs): killing a live supervisor's children one by one lets it start replacements that the kill
        /// of the tree then misses, and those orphans would keep a dead service's invocations.</summary>
        public async Task KillAndRestartAsync()
        {
            Signal(_process.Id, SigStop);
            var functions = FunctionProcesses();
            Signal(_process.Id, SigKill);
            foreach (var pid in functions)
            {
                Signal(pid, SigKill);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
            while (true)
            {
                try
                {
                    _process = await LaunchAsync(_database, _port, _concurrency);
                    return;
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
                {
                    Console.WriteLine($"  the service did not start again ({ex.Message}); retrying");
                }
            }
        }

        private const int SigKill = 9;
        private const int SigStop = 19;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);

        private static void Signal(int pid, int signal) => _ = Kill(pid, signal);

        /// <summary>The pids of the service's function processes now.</summary>
        public List<int> FunctionProcesses()
        {
            var parent = _process.Id;
            var result = new List<int>();
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent
                        && File.ReadAllText(Path.Combine(directory, "cmdline")).Contains("DurableGen.TestFunctions.dll", StringComparison.Ordinal))
                    {
                        result.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // gone meanwhile
                }
            }

            return result;
        }

        public async ValueTask DisposeAsync()
        {
            Signal(_process.Id, SigStop);
            var functions = FunctionProcesses();
            Signal(_process.Id, SigKill);
            foreach (var pid in functions)
            {
                Signal(pid, SigKill);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private static async Task<Process> LaunchAsync(string database, int port, int concurrency)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (!Environment.ProcessPath!.EndsWith("DurableGen.Benchmarks", StringComparison.Ordinal))
            {
                info.ArgumentList.Add(typeof(KillSoak).Assembly.Location); // run as `dotnet DurableGen.Benchmarks.dll`
            }

            foreach (var argument in new[]
                     {
                         "--soak-kill", "--soak-service", "--port", port.ToString(CultureInfo.InvariantCulture), "--db", database,
                         "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
                     })
            {
                info.ArgumentList.Add(argument);
            }

            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("the service process exited"));
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.StartsWith("soak service on ", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line && !line.StartsWith('['))
                {
                    Console.Error.WriteLine("  service: " + line);
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
            }
            catch
            {
                Signal(process.Id, SigKill);
                process.Dispose();
                throw;
            }

            return process;
        }
    }

    private sealed class SoakStats
    {
        private int _finished, _functionKills, _serviceKills, _stepRuns, _repeated;

        public ConcurrentBag<string> Divergences { get; } = new();

        public ConcurrentBag<string> OverRuns { get; } = new();

        /// <summary>Executions the engine failed after five killed invocations in a row.</summary>
        public ConcurrentBag<string> GaveUp { get; } = new();

        public int Finished => _finished;

        public int FunctionKills => _functionKills;

        public int ServiceKills => _serviceKills;

        public int StepRuns => _stepRuns;

        public int RepeatedAttempts => _repeated;

        public void Finish() => Interlocked.Increment(ref _finished);

        public void FunctionKill() => Interlocked.Increment(ref _functionKills);

        public void ServiceKill() => Interlocked.Increment(ref _serviceKills);

        public void AddRuns(int runs, int repeated)
        {
            Interlocked.Add(ref _stepRuns, runs);
            Interlocked.Add(ref _repeated, repeated);
        }

        public string Summary() =>
            $"kills {FunctionKills} function / {ServiceKills} service, {Divergences.Count} divergences, {OverRuns.Count} over-runs, {GaveUp.Count} gave up";
    }
}
