using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableGen.LocalService;

/// <summary>
/// The durable execution service on a laptop: <see cref="DurableExecutionEngine"/> behind the Lambda durable REST
/// APIs and Invoke (protocol.md §2) on 127.0.0.1, a Lambda Runtime API endpoint per function
/// (<c>/runtime-api/{function}/2018-06-01/…</c>, given to processes as <c>AWS_LAMBDA_RUNTIME_API</c>), a scheduler on
/// the real clock that fires timers and delivers invocations, the function processes it starts and restarts, and a
/// web dashboard at <c>/</c>. Requests are accepted unsigned.
/// </summary>
public sealed partial class LocalDurableService : IAsyncDisposable
{
    private readonly LocalServiceOptions _options;
    private readonly ConcurrentDictionary<string, FunctionHost> _hosts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly SqliteExecutionStore? _sqlite;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private Task? _scheduler;
    private bool _disposed;

    /// <summary>The <c>ErrorType</c> of an invocation that was in flight when the service stopped (recorded on its
    /// <c>InvocationCompleted</c> event when the service starts again on the same database).</summary>
    public const string OrphanedInvocationError = "LocalService.Restarted";

    /// <summary>The most sandboxes a function may run at once.</summary>
    public const int MaxConcurrency = 64;

    /// <summary>Separates the function name from the sandbox number in a Runtime API path (not a function-name
    /// character).</summary>
    private const char SandboxSeparator = '~';

    /// <summary>Creates the service (nothing listens until <see cref="StartAsync"/>).</summary>
    public LocalDurableService(LocalServiceOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        IExecutionStore store;
        if (options.DatabasePath is { Length: > 0 } path)
        {
            _sqlite = new SqliteExecutionStore(path);
            store = _sqlite;
        }
        else
        {
            store = new InMemoryExecutionStore();
        }

        Engine = new DurableExecutionEngine(store, TimeProvider.System, new EngineOptions
        {
            Region = options.Region,
            AccountId = options.AccountId,
            FunctionLookup = name => options.Functions.Find(f => f.Name == name) is { } function
                ? new FunctionConfiguration(function.Aliases, function.ExecutionTimeoutSeconds)
                : null,
        });
        foreach (var definition in options.Functions)
        {
            if (!FunctionNames.IsIdentifier(definition.Name, 64))
            {
                throw new ArgumentException($"Invalid function name '{definition.Name}': 1-64 characters of [a-zA-Z0-9-_].");
            }

            if (definition.Concurrency is < 1 or > MaxConcurrency)
            {
                throw new ArgumentException($"The concurrency of '{definition.Name}' must be 1-{MaxConcurrency}, not {definition.Concurrency}.");
            }

            if (!_hosts.TryAdd(definition.Name, NewHost(definition)))
            {
                throw new ArgumentException($"The function '{definition.Name}' is defined twice.");
            }
        }
    }

    /// <summary>The engine this service hosts.</summary>
    public DurableExecutionEngine Engine { get; }

    /// <summary>The service URL, e.g. <c>http://127.0.0.1:5173/</c> (set by <see cref="StartAsync"/>).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> for processes of a function that connect by themselves.</summary>
    public string RuntimeApiFor(string functionName) =>
        $"{BaseAddress.Authority}/runtime-api/{functionName}";

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> for the process of one sandbox the service runs (1 to the
    /// function's <see cref="FunctionDefinition.Concurrency"/>), started with <paramref name="token"/>: the service
    /// knows which invocations that process holds, fails only those when it exits, and refuses any other process.</summary>
    private string RuntimeApiFor(string functionName, int sandbox, string token) =>
        $"{BaseAddress.Authority}/runtime-api/{functionName}{SandboxSeparator}{sandbox.ToString(CultureInfo.InvariantCulture)}-{token}";

    /// <summary>The function ARN the service uses for a function name (version <c>$LATEST</c>).</summary>
    public string FunctionArnFor(string functionName, string version = "$LATEST") =>
        FunctionNames.FunctionArn(Engine.Options, functionName, version);

    /// <summary>Binds the port, fails the invocations a previous run on the same database left in flight, starts the
    /// scheduler and the function processes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_sqlite is not null)
        {
            // Invocations the database still marks in flight were handed to processes of a service that died with
            // them: fail them now, as Lambda does a lost sandbox, or their executions would wait forever. Before
            // listening, so a process that outlived that service cannot checkpoint with its old token first.
            var orphans = Engine.FailOrphanedInvocations(new ErrorObject
            {
                ErrorType = OrphanedInvocationError,
                ErrorMessage = "The local service stopped while this invocation ran; the execution is invoked again.",
            });
            if (orphans > 0)
            {
                _options.Log?.Invoke($"Failed {orphans} invocation(s) left in flight by the previous run; their executions are invoked again.");
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, ServiceLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, _options.Port);
            kestrel.Limits.MaxRequestBodySize = null; // the APIs enforce their own limits, with AWS error codes
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromHours(1);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(DispatchAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");

        _scheduler = Task.Run(() => SchedulerLoopAsync(_stop.Token), CancellationToken.None);
        foreach (var host in _hosts.Values)
        {
            StartProcess(host);
        }
    }

    /// <summary>Stops the processes, the scheduler and the listener, and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        // All at once: each waits for its process to die, and a shutdown should not take that times the sandboxes.
        await Task.WhenAll(_hosts.Values.SelectMany(h => h.Processes).Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);

        if (_scheduler is not null)
        {
            await _scheduler.ConfigureAwait(false);
        }

        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _sqlite?.Dispose();
        _wake.Dispose();
        _stop.Dispose();
    }

    /// <summary>Waits until the execution closes (or <paramref name="timeout"/> passes) and returns its state.</summary>
    public async Task<GetDurableExecutionResponse> WaitForCloseAsync(string durableExecutionArn, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var execution = Engine.GetExecution(durableExecutionArn);
            var left = deadline - DateTimeOffset.UtcNow;
            if (execution.Status != ExecutionStatus.Running || left <= TimeSpan.Zero)
            {
                return execution;
            }

            try
            {
                await changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // poll again
            }
        }
    }

    /// <summary>Tells the scheduler and waiters that the engine changed.</summary>
    internal void Signal()
    {
        var previous = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
        if (!_disposed && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (ObjectDisposedException)
            {
                // stopping
            }
        }
    }

    private FunctionHost NewHost(FunctionDefinition definition) =>
        new(definition, FunctionNames.FunctionArn(Engine.Options, definition.Name, "$LATEST"));

    private FunctionHost? FindHost(string name) => _hosts.TryGetValue(name, out var host) ? host : null;

    /// <summary>The host of a function the service was not configured with (a chained invoke's target, or an
    /// execution from an earlier run in the database): its Runtime API endpoint waits for a process to connect.</summary>
    private FunctionHost HostFor(string name) =>
        _hosts.GetOrAdd(name, n => NewHost(new FunctionDefinition { Name = n }));

    private void StartProcess(FunctionHost host)
    {
        if (string.IsNullOrEmpty(host.Definition.Command))
        {
            return;
        }

        for (var sandbox = 1; sandbox <= host.Definition.Concurrency; sandbox++)
        {
            var process = new FunctionProcess(host, sandbox, _options, ProcessEnvironment, OnProcessExited, OnSandboxStopped);
            host.Processes.Add(process);
            process.Start();
        }
    }

    private IReadOnlyDictionary<string, string> ProcessEnvironment(FunctionProcess process)
    {
        var host = process.Host;
        var sandbox = process.Sandbox;
        var definition = host.Definition;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = RuntimeApiFor(host.Name, sandbox, process.Token!),
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
            ["AWS_ENDPOINT_URL_LAMBDA"] = BaseAddress.ToString().TrimEnd('/'),
            ["LAMBDA_TASK_ROOT"] = definition.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (key, value) in definition.Environment)
        {
            env[key] = value;
        }

        return env;
    }

    private void OnProcessExited(FunctionProcess process, int exitCode)
    {
        foreach (var item in process.Host.TakeAllInFlight(process.Sandbox))
        {
            FailItem(item, DurableExecutionEngine.RuntimeExitError,
                $"RequestId: {item.RequestId} Error: Runtime exited with error: exit status {exitCode}");
        }

        Signal();
    }

    private void OnSandboxStopped(FunctionProcess process, SandboxStop stop)
    {
        if (stop.Reason == SandboxStopReason.ExitedWithoutAskingForWork)
        {
            process.Host.InitError = stop.Message; // shown by the dashboard
        }

        if (_options.SandboxStopped is { } stopped)
        {
            stopped(stop);
        }
        else
        {
            _options.Log?.Invoke(stop.Message);
        }

        Signal();
    }

    /// <summary>Records a Lambda-level failure of an invocation a process held.</summary>
    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    private void FailItem(WorkItem item, string errorType, string message)
    {
        if (item.PlainChild)
        {
            CompletePlainChild(item, null, new ErrorObject { ErrorType = errorType, ErrorMessage = message });
        }
        else if (item.DurableExecutionArn is { } arn)
        {
            try
            {
                Engine.FailInvocation(arn, item.RequestId, new ErrorObject { ErrorType = errorType, ErrorMessage = message });
            }
            catch (DurableServiceException ex)
            {
                _options.Log?.Invoke($"Cannot record the failed invocation {item.RequestId}: {ex.Message}");
            }
        }
        else
        {
            item.Outcome?.TrySetResult(new PlainOutcome(LambdaErrorBody(errorType, message), "Unhandled"));
        }
    }

    private static byte[] LambdaErrorBody(string errorType, string message)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", message);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task SchedulerLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = TimeSpan.FromSeconds(1);
            try
            {
                var changed = Engine.FireDueTimers() > 0;
                while (Engine.TryBeginInvocation() is { } pending)
                {
                    Dispatch(pending);
                    changed = true;
                }

                changed |= ExpireInvocations();
                if (changed)
                {
                    Signal();
                }

                if (Engine.NextDueTime is { } due)
                {
                    var untilDue = due - DateTimeOffset.UtcNow;
                    delay = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < delay ? untilDue : delay;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _options.Log?.Invoke($"Scheduler: {ex.Message}");
            }

            try
            {
                await _wake.WaitAsync(delay + TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Dispatch(PendingInvocation pending)
    {
        var host = HostFor(pending.FunctionName);
        var plain = !host.Definition.Durable;
        host.Enqueue(new WorkItem
        {
            RequestId = pending.RequestId,
            Body = plain
                ? Encoding.UTF8.GetBytes(pending.Input.InitialExecutionState?.Operations?
                    .FirstOrDefault(o => o.Type == OperationType.Execution)?.ExecutionDetails?.InputPayload ?? "null")
                : JsonSerializer.SerializeToUtf8Bytes(pending.Input, ProtocolJson.Envelope.DurableExecutionInvocationInput),
            InvokedFunctionArn = FunctionNames.FunctionArn(Engine.Options, pending.FunctionName, pending.Version),
            TraceId = NewTraceId(),
            DurableExecutionArn = pending.DurableExecutionArn,
            PlainChild = plain,
        });
    }

    /// <summary>Ends a plain function's chained invoke with its response or its error (see <see cref="WorkItem.PlainChild"/>).
    /// A response or error too big for the engine fails the invoke rather than the invocation, which would be retried:
    /// Lambda runs a plain function once per invoke.</summary>
    internal void CompletePlainChild(WorkItem item, string? result, ErrorObject? error)
    {
        if (error is null && result is not null && result.Length > Engine.Options.MaxPayloadCharacters)
        {
            error = new ErrorObject
            {
                ErrorType = "Function.ResponseSizeTooLarge",
                ErrorMessage = $"The response is {result.Length} characters, over the {Engine.Options.MaxPayloadCharacters} an invoke result may hold.",
            };
            result = null;
        }

        if (error is not null)
        {
            // Lambda reports at most a few kilobytes of a function error; the engine refuses 32 KB.
            error = new ErrorObject
            {
                ErrorType = Truncate(error.ErrorType, 256),
                ErrorMessage = Truncate(error.ErrorMessage, 4096),
                ErrorData = Truncate(error.ErrorData, 8192),
                StackTrace = error.StackTrace?.Take(32).Select(l => Truncate(l, 256)!).ToList(),
            };
        }

        try
        {
            Engine.CompleteInvocation(item.DurableExecutionArn!, item.RequestId, error is null
                ? new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = result }
                : new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = error });
        }
        catch (DurableServiceException ex)
        {
            _options.Log?.Invoke($"Cannot record the outcome of {item.RequestId}: {ex.Message}");
        }
    }

    private bool ExpireInvocations()
    {
        var any = false;
        var now = DateTimeOffset.UtcNow;
        foreach (var host in _hosts.Values)
        {
            foreach (var item in host.TakeExpired(now))
            {
                any = true;
                FailItem(item, "Sandbox.Timedout",
                    $"Task timed out after {TimeoutOf(host).TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} seconds");

                // Lambda discards a timed-out sandbox; its process is restarted.
                host.Processes.Find(p => p.Sandbox == item.Sandbox)?.Kill();
            }
        }

        return any;
    }

    /// <summary>The function timeout of <paramref name="host"/>'s function.</summary>
    internal TimeSpan TimeoutOf(FunctionHost host) => host.Definition.Timeout ?? _options.InvocationTimeout;

    private static string NewTraceId()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        var random = Guid.NewGuid().ToString("N")[..24];
        var parent = Guid.NewGuid().ToString("N")[..16];
        return $"Root=1-{epoch}-{random};Parent={parent};Sampled=0";
    }
}
