using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Api;
using DurableGen.LocalService.Dispatch;

namespace DurableGen.LocalService.Sandboxes;

/// <summary>
/// The function processes the service runs and the Runtime APIs they poll. Each function has a
/// <see cref="RuntimeApiListener"/> for processes that connect by themselves, open for the service's life; each
/// sandbox of a function with a command has a <see cref="FunctionProcess"/> and, for each start of it, a listener of
/// its own on a port no earlier start had. The invocations a process held are failed when it exits, and a sandbox that
/// cannot be restarted is reported.
/// </summary>
internal sealed class SandboxSupervisor
{
    private readonly LocalServiceOptions _options;
    private readonly InvocationDispatcher _dispatcher;
    private readonly Func<Uri> _baseAddress;
    private readonly Action _signal;
    private readonly RuntimeApiEndpoints _endpoints;
    private readonly ConcurrentDictionary<string, Lazy<RuntimeApiListener>> _shared = new(StringComparer.Ordinal);

    // Every port a listener of this run was given: a port closed with a process's start is never a later start's, so
    // a process that outlived its start, trying its old port again, never reaches another sandbox.
    private readonly HashSet<int> _usedPorts = new();

    public SandboxSupervisor(LocalServiceOptions options, InvocationDispatcher dispatcher, Func<Uri> baseAddress,
        TimeProvider clock, Action signal)
    {
        _options = options;
        _dispatcher = dispatcher;
        _baseAddress = baseAddress;
        _signal = signal;
        _endpoints = new RuntimeApiEndpoints(options, dispatcher, clock, signal);
    }

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> (<c>127.0.0.1:PORT</c>) for processes of a function that
    /// connect by themselves; its listener opens on first use.</summary>
    public string RuntimeApiFor(string functionName) => Shared(_dispatcher.For(functionName)).Address;

    /// <summary>Opens the Runtime API of <paramref name="function"/> for processes that connect by themselves, and
    /// starts a process per sandbox when it has a command.</summary>
    public void Start(FunctionQueue function)
    {
        Shared(function);
        if (string.IsNullOrEmpty(function.Definition.Command))
        {
            return;
        }

        for (var sandbox = 1; sandbox <= function.Definition.Concurrency; sandbox++)
        {
            var process = new FunctionProcess(function, sandbox, _options, OpenAsync, Environment, OnProcessExited, OnSandboxStopped);
            function.Processes.Add(process);
            process.Start();
        }
    }

    /// <summary>Stops every process, all at once (each waits for its process to die, and a shutdown should not take
    /// that times the sandboxes), then the functions' own listeners.</summary>
    public async Task StopAllAsync()
    {
        await Task.WhenAll(_dispatcher.Functions.SelectMany(f => f.Processes).Select(p => p.DisposeAsync().AsTask()))
            .ConfigureAwait(false);
        await Task.WhenAll(_shared.Values.Where(l => l.IsValueCreated).Select(l => l.Value.DisposeAsync().AsTask()))
            .ConfigureAwait(false);
    }

    private RuntimeApiListener Shared(FunctionQueue function) =>
        _shared.GetOrAdd(function.Name, _ => new Lazy<RuntimeApiListener>(
            // Binding a loopback port does not wait on anything: blocking here is as long as the bind.
            () => OpenAsync(function, 0).GetAwaiter().GetResult())).Value;

    private Task<RuntimeApiListener> OpenAsync(FunctionProcess process) => OpenAsync(process.Function, process.Sandbox);

    /// <summary>A listener on a port no listener of this run had before.</summary>
    private async Task<RuntimeApiListener> OpenAsync(FunctionQueue function, int sandbox)
    {
        var refused = new List<RuntimeApiListener>();
        try
        {
            while (true)
            {
                var listener = await RuntimeApiListener.OpenAsync(_endpoints, function, sandbox).ConfigureAwait(false);
                lock (_usedPorts)
                {
                    if (_usedPorts.Add(listener.Port))
                    {
                        return listener;
                    }
                }

                refused.Add(listener); // held open until a fresh port is found, so the system hands out another
            }
        }
        finally
        {
            foreach (var listener in refused)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private IReadOnlyDictionary<string, string> Environment(FunctionProcess process)
    {
        var function = process.Function;
        var sandbox = process.Sandbox;
        var definition = function.Definition;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = process.RuntimeApi!,
            ["_HANDLER"] = definition.Handler ?? definition.Name,
            ["AWS_LAMBDA_FUNCTION_NAME"] = definition.Name,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = (definition.MemorySize ?? 512).ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + definition.Name,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = $"local/{definition.Name}/{sandbox}",
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023",
            ["AWS_REGION"] = _options.Region,
            ["AWS_DEFAULT_REGION"] = _options.Region,
            ["AWS_ACCESS_KEY_ID"] = "AKIDLOCALDURABLEGEN",
            ["AWS_SECRET_ACCESS_KEY"] = "local-durablegen-secret-key",
            ["AWS_SESSION_TOKEN"] = "local-durablegen-session-token",
            ["AWS_ENDPOINT_URL_LAMBDA"] = _baseAddress().ToString().TrimEnd('/'),
            ["LAMBDA_TASK_ROOT"] = definition.WorkingDirectory ?? System.Environment.CurrentDirectory,
        };
        if (_options.CollectTraces)
        {
            AddTraceExport(env, definition);
        }

        foreach (var (key, value) in definition.Environment)
        {
            env[key] = value;
        }

        return env;
    }

    /// <summary>Points the process's OpenTelemetry exporter at the service's <c>/v1/traces</c>, unless the developer
    /// chose where its traces go (in the function's environment or the service's own, which the process inherits).</summary>
    private void AddTraceExport(Dictionary<string, string> env, FunctionDefinition definition)
    {
        bool Set(string key) => definition.Environment.ContainsKey(key)
                                || !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(key));

        if (!Set("OTEL_EXPORTER_OTLP_ENDPOINT") && !Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        {
            // The base address: the exporter appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT for http/protobuf.
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = _baseAddress().ToString().TrimEnd('/');
            if (!Set("OTEL_EXPORTER_OTLP_PROTOCOL") && !Set("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"))
            {
                env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            }
        }

        if (!Set("OTEL_SERVICE_NAME"))
        {
            env["OTEL_SERVICE_NAME"] = definition.Name;
        }
    }

    private void OnProcessExited(FunctionProcess process, int exitCode)
    {
        foreach (var item in process.Function.TakeAllInFlight(process.Sandbox))
        {
            _dispatcher.Fail(item, DurableExecutionEngine.RuntimeExitError,
                DurableExecutionEngine.RuntimeExitMessage(item.RequestId, exitCode));
        }

        _signal();
    }

    private void OnSandboxStopped(FunctionProcess process, SandboxStop stop)
    {
        if (stop.Reason == SandboxStopReason.ExitedWithoutAskingForWork)
        {
            process.Function.InitError = stop.Message; // shown by the dashboard
        }

        if (_options.SandboxStopped is { } stopped)
        {
            stopped(stop);
        }
        else
        {
            _options.Log?.Invoke(stop.Message);
        }

        _signal();
    }
}
