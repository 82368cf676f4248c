using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.LocalService.Dispatch;

namespace DurableGen.LocalService.Sandboxes;

/// <summary>
/// One sandbox of a function: runs its process with the environment Lambda sets (spec hosting.md §1) and a Runtime API
/// of its own (<see cref="RuntimeApiListener"/>, opened for each start and closed when that process exits or is
/// killed), forwards its output, and restarts it when it exits (with a growing pause while it keeps
/// exiting without taking an invocation). Each exit is reported so the service can fail the invocations this sandbox
/// held as <c>Runtime.ExitError</c>. Two exits are not mended by a restart, so the sandbox stays stopped
/// (<see cref="SandboxStop"/>): exit code 0 before ever asking for work (the program runs no Lambda runtime loop), and
/// a SIGINT, SIGTERM or SIGHUP the service did not send (the process group is being shut down).
/// </summary>
internal sealed class FunctionProcess : IAsyncDisposable
{
    private readonly FunctionQueue _function;
    private readonly Func<FunctionProcess, System.Collections.Generic.IReadOnlyDictionary<string, string>> _environment;
    private readonly Func<FunctionProcess, Task<RuntimeApiListener>> _openRuntimeApi;
    private readonly Action<FunctionProcess, int> _exited;
    private readonly Action<FunctionProcess, SandboxStop> _stopped;
    private readonly LocalServiceOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _label;
    private Task? _loop;
    private Process? _current;
    private RuntimeApiListener? _listener;
    private int? _lastProcessId;

    // Both cleared at each start: whether the running process asked for an invocation (next), and whether the
    // service killed it (an invocation timeout), which is no reason to stop the sandbox.
    private volatile bool _askedForWork;
    private volatile bool _killed;

    public FunctionProcess(FunctionQueue function, int sandbox, LocalServiceOptions options,
        Func<FunctionProcess, Task<RuntimeApiListener>> openRuntimeApi,
        Func<FunctionProcess, System.Collections.Generic.IReadOnlyDictionary<string, string>> environment,
        Action<FunctionProcess, int> exited, Action<FunctionProcess, SandboxStop> stopped)
    {
        _function = function;
        Sandbox = sandbox;
        _options = options;
        _openRuntimeApi = openRuntimeApi;
        _environment = environment;
        _exited = exited;
        _stopped = stopped;
        _label = function.Definition.Concurrency > 1 ? $"{function.Name}#{sandbox}" : function.Name;
    }

    /// <summary>The function this sandbox runs.</summary>
    public FunctionQueue Function => _function;

    /// <summary>The sandbox number (1 to the function's concurrency).</summary>
    public int Sandbox { get; }

    /// <summary>The <c>AWS_LAMBDA_RUNTIME_API</c> (<c>127.0.0.1:PORT</c>) of the process running now: a new port for
    /// every start, closed when the process exits or is killed, so a process of an earlier start (or of an earlier run
    /// of the service, which outlived it) finds nobody listening instead of this sandbox's invocations.</summary>
    public string? RuntimeApi => Volatile.Read(ref _listener)?.Address;

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>The id of the running process, if any.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>Why the sandbox is stopped for good, if it is.</summary>
    public SandboxStop? Stopped { get; private set; }

    /// <summary>Notes that the running process asked the Runtime API for work.</summary>
    public void NoteAskedForWork() => _askedForWork = true;

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Kills the running process (it is restarted), e.g. after an invocation timed out.</summary>
    public void Kill()
    {
        _killed = true;
        try
        {
            _current?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        // Closed now, not when the process is reaped: from here on nothing it sends is taken.
        if (Interlocked.Exchange(ref _listener, null) is { } listener)
        {
            _ = listener.DisposeAsync().AsTask();
        }
    }

    private async Task LoopAsync()
    {
        var pause = TimeSpan.FromMilliseconds(250);
        while (!_stop.IsCancellationRequested)
        {
            var deliveredBefore = Volatile.Read(ref _function.Delivered);
            int exitCode;
            try
            {
                exitCode = await RunOnceAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or System.IO.IOException)
            {
                _options.Log?.Invoke($"[{_label}] cannot start '{_function.Definition.Command}': {ex.Message}");
                exitCode = -1;
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _exited(this, exitCode);
            if (StopFor(exitCode) is { } stop)
            {
                Stopped = stop;
                _stopped(this, stop);
                return;
            }

            pause = Volatile.Read(ref _function.Delivered) > deliveredBefore
                ? TimeSpan.FromMilliseconds(250)
                : TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 10_000));
            try
            {
                await Task.Delay(pause, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Said once the pause is over, not when the process exits: a signal to the whole process group (Ctrl+C,
            // kill -TERM -pgid) can end a function process a moment before the service itself hears it and stops, and
            // the service then announced a restart it never made.
            _options.Log?.Invoke($"[{_label}] process exited with code {exitCode}; restarting it after {pause.TotalSeconds:0.##} s");
        }
    }

    private async Task<int> RunOnceAsync()
    {
        var definition = _function.Definition;
        var info = new ProcessStartInfo(definition.Command!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = definition.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in definition.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _askedForWork = false;
        _killed = false;
        var listener = await _openRuntimeApi(this).ConfigureAwait(false);
        Volatile.Write(ref _listener, listener);
        try
        {
            foreach (var (key, value) in _environment(this))
            {
                info.Environment[key] = value;
            }

            using var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => Forward(e.Data);
            process.ErrorDataReceived += (_, e) => Forward(e.Data);
            process.Start();
            process.StandardInput.Close();
            _current = process;
            ProcessId = process.Id;
            Starts++;
            _options.Log?.Invoke($"[{_label}] started process {process.Id}");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            _current = null;
            _lastProcessId = ProcessId;
            ProcessId = null;
            return process.ExitCode;
        }
        finally
        {
            Interlocked.CompareExchange(ref _listener, null, listener);
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The stop an exit calls for, or null when a restart may mend it.</summary>
    private SandboxStop? StopFor(int exitCode)
    {
        var process = _lastProcessId is { } pid ? $"process {pid}" : "the process";
        if (exitCode == 0 && !_askedForWork)
        {
            return new SandboxStop(_function.Name, Sandbox, exitCode, SandboxStopReason.ExitedWithoutAskingForWork,
                $"[{_label}] {process} exited with code 0 without asking for an invocation (GET /runtime/invocation/next), " +
                "so it is not restarted: its program never ran the Lambda runtime loop. Most likely the project has its own " +
                "entry point (Program.cs, top-level statements or a static Main) that returns without calling " +
                "DurableWorkflows.RunLambdaAsync(): delete it to use the generated one, or call the generated host from it " +
                "when DurableLambdaHost.IsLambdaEnvironment is true. The build reports this as DG1018 (docs/diagnostics/DG1018.md).");
        }

        // 128 + the signal number: how .NET reports a child a signal ended (and how shells do).
        if (!_killed && exitCode is 129 or 130 or 143)
        {
            var signal = exitCode switch { 129 => "SIGHUP", 130 => "SIGINT", _ => "SIGTERM" };
            return new SandboxStop(_function.Name, Sandbox, exitCode, SandboxStopReason.Signaled,
                $"[{_label}] {process} was stopped by {signal} (exit code {exitCode}), which the service did not send; " +
                "it is not restarted, as whoever sent it is shutting it down.");
        }

        return null;
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            _options.FunctionOutput?.Invoke(_function.Name, line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Kill();
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // the process ignores kill; leave it
            }
        }

        _stop.Dispose();
    }
}
