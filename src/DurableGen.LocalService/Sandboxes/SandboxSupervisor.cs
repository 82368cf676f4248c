using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Dispatch;

namespace DurableGen.LocalService.Sandboxes;

/// <summary>
/// The function processes the service runs: one <see cref="FunctionProcess"/> per sandbox of a function that has a
/// command, each with the environment Lambda sets and its own Runtime API endpoint
/// (<c>{function}~{sandbox}-{token}</c>); the invocations a process held are failed when it exits, and a sandbox
/// that cannot be restarted is reported.
/// </summary>
internal sealed class SandboxSupervisor(LocalServiceOptions options, InvocationDispatcher dispatcher,
    Func<Uri> baseAddress, Action signal)
{
    /// <summary>Separates the function name from the sandbox number in a Runtime API path (not a function-name
    /// character).</summary>
    public const char SandboxSeparator = '~';

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> for processes of a function that connect by themselves.</summary>
    public string RuntimeApiFor(string functionName) => $"{baseAddress().Authority}/runtime-api/{functionName}";

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> for the process of one sandbox the service runs (1 to the
    /// function's <see cref="FunctionDefinition.Concurrency"/>), started with <paramref name="token"/>: the service
    /// knows which invocations that process holds, fails only those when it exits, and refuses any other process.</summary>
    public string RuntimeApiFor(string functionName, int sandbox, string token) =>
        $"{RuntimeApiFor(functionName)}{SandboxSeparator}{sandbox.ToString(CultureInfo.InvariantCulture)}-{token}";

    /// <summary>Starts a process per sandbox of <paramref name="function"/> (none when it has no command: its
    /// processes connect by themselves).</summary>
    public void Start(FunctionQueue function)
    {
        if (string.IsNullOrEmpty(function.Definition.Command))
        {
            return;
        }

        for (var sandbox = 1; sandbox <= function.Definition.Concurrency; sandbox++)
        {
            var process = new FunctionProcess(function, sandbox, options, Environment, OnProcessExited, OnSandboxStopped);
            function.Processes.Add(process);
            process.Start();
        }
    }

    /// <summary>Whether <paramref name="sandboxAndToken"/> (<c>{sandbox}-{token}</c>) names the process running now
    /// in a sandbox of <paramref name="functionName"/>.</summary>
    public bool IsCurrentSandbox(string functionName, string sandboxAndToken, out int sandbox)
    {
        var dash = sandboxAndToken.IndexOf('-', StringComparison.Ordinal);
        sandbox = 0;
        return dash > 0
               && int.TryParse(sandboxAndToken.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out sandbox)
               && dispatcher.Find(functionName)?.Sandbox(sandbox, sandboxAndToken[(dash + 1)..]) is not null;
    }

    /// <summary>Stops every process, all at once: each waits for its process to die, and a shutdown should not take
    /// that times the sandboxes.</summary>
    public Task StopAllAsync() =>
        Task.WhenAll(dispatcher.Functions.SelectMany(f => f.Processes).Select(p => p.DisposeAsync().AsTask()));

    private IReadOnlyDictionary<string, string> Environment(FunctionProcess process)
    {
        var function = process.Function;
        var sandbox = process.Sandbox;
        var definition = function.Definition;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = RuntimeApiFor(function.Name, sandbox, process.Token!),
            ["_HANDLER"] = definition.Handler ?? definition.Name,
            ["AWS_LAMBDA_FUNCTION_NAME"] = definition.Name,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = (definition.MemorySize ?? 512).ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + definition.Name,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = $"local/{definition.Name}/{sandbox}",
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023",
            ["AWS_REGION"] = options.Region,
            ["AWS_DEFAULT_REGION"] = options.Region,
            ["AWS_ACCESS_KEY_ID"] = "AKIDLOCALDURABLEGEN",
            ["AWS_SECRET_ACCESS_KEY"] = "local-durablegen-secret-key",
            ["AWS_SESSION_TOKEN"] = "local-durablegen-session-token",
            ["AWS_ENDPOINT_URL_LAMBDA"] = baseAddress().ToString().TrimEnd('/'),
            ["LAMBDA_TASK_ROOT"] = definition.WorkingDirectory ?? System.Environment.CurrentDirectory,
        };
        foreach (var (key, value) in definition.Environment)
        {
            env[key] = value;
        }

        return env;
    }

    private void OnProcessExited(FunctionProcess process, int exitCode)
    {
        foreach (var item in process.Function.TakeAllInFlight(process.Sandbox))
        {
            dispatcher.Fail(item, DurableExecutionEngine.RuntimeExitError,
                $"RequestId: {item.RequestId} Error: Runtime exited with error: exit status {exitCode}");
        }

        signal();
    }

    private void OnSandboxStopped(FunctionProcess process, SandboxStop stop)
    {
        if (stop.Reason == SandboxStopReason.ExitedWithoutAskingForWork)
        {
            process.Function.InitError = stop.Message; // shown by the dashboard
        }

        if (options.SandboxStopped is { } stopped)
        {
            stopped(stop);
        }
        else
        {
            options.Log?.Invoke(stop.Message);
        }

        signal();
    }
}
