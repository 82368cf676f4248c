using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Store;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Http;
using DurableGen.LocalService.Sandboxes;
using DurableGen.LocalService.Traces;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableGen.LocalService;

/// <summary>
/// The durable execution service on a laptop: <see cref="DurableExecutionEngine"/> behind the Lambda durable REST
/// APIs and Invoke (protocol.md §2) on 127.0.0.1, the Lambda Runtime API at the root of a port of its own for each
/// function and for each start of each sandbox's process (<c>AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT</c>), a scheduler on
/// the real clock that fires timers and delivers invocations, the function processes it starts and restarts, and a
/// web dashboard at <c>/</c>. Requests are accepted unsigned.
/// </summary>
public sealed partial class LocalDurableService : IAsyncDisposable
{
    private readonly LocalServiceOptions _options;
    private readonly InvocationDispatcher _dispatcher;
    private readonly SandboxSupervisor _sandboxes;
    private readonly Router _router;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteExecutionStore? _sqlite;
    private WebApplication? _app;
    private Task? _scheduler;
    private bool _disposed;

    /// <summary>The <c>ErrorType</c> of an invocation that was in flight when the service stopped (recorded on its
    /// <c>InvocationCompleted</c> event when the service starts again on the same database).</summary>
    public const string OrphanedInvocationError = "LocalService.Restarted";

    /// <summary>The most invocations the service's driver begins in one durable write.</summary>
    private const int BeginsPerStep = 16;

    /// <summary>The most sandboxes a function may run at once.</summary>
    public const int MaxConcurrency = 64;

    /// <summary>Creates the service (nothing listens until <see cref="StartAsync"/>).</summary>
    public LocalDurableService(LocalServiceOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        IExecutionStore store;
        if (options.DatabasePath is { Length: > 0 } path)
        {
            _sqlite = new SqliteExecutionStore(path, options.CommitDurability);
            store = _sqlite;
        }
        else
        {
            store = new InMemoryExecutionStore();
        }

        var driverOptions = options.Driver ?? new ExecutionDriverOptions
        {
            TimeSkip = TimeSkipPolicy.RealTime,
            MaxInvocations = int.MaxValue, // a service runs forever: its executions are the user's to stop
            IdleTimeout = Timeout.InfiniteTimeSpan,
            // Dispatch only queues the work for the sandboxes: runnable executions begin together, one durable write
            // for many (one each made N sandboxes wait N transactions for work).
            MaxBeginsPerStep = BeginsPerStep,
        };
        Engine = new DurableExecutionEngine(store, (TimeProvider?)driverOptions.Clock ?? TimeProvider.System, new EngineOptions
        {
            Region = options.Region,
            AccountId = options.AccountId,
            FunctionLookup = name => options.Functions.Find(f => f.Name == name) is { } function
                ? new FunctionConfiguration(function.Aliases, function.ExecutionTimeoutSeconds)
                : null,
        });
        Traces = new TraceStore(TraceStore.PathBeside(options.DatabasePath));
        _dispatcher = new InvocationDispatcher(Engine, options);
        Driver = new ExecutionDriver(Engine, _dispatcher, driverOptions)
        {
            // The dashboard's event stream waits for these changes (nobody waits when no dashboard is open).
            Dispatched = _ => NotifyChanged(),
            TimersFired = () => NotifyChanged(),
        };
        Driver.Join(new InvocationExpiry(_dispatcher, Signal));
        _sandboxes = new SandboxSupervisor(options, _dispatcher, () => BaseAddress, Engine.Clock, Signal);
        _router = new Router(this, options, _dispatcher, _sandboxes);
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

            if (!_dispatcher.TryAdd(definition))
            {
                throw new ArgumentException($"The function '{definition.Name}' is defined twice.");
            }
        }
    }

    /// <summary>The engine this service hosts.</summary>
    public DurableExecutionEngine Engine { get; }

    /// <summary>The one driver of <see cref="Engine"/>: fires timers, hands the invocations it begins to the functions'
    /// queues (their outcomes arrive over the Runtime API), expires invocations past their function timeout.</summary>
    public ExecutionDriver Driver { get; }

    /// <summary>The spans function processes export to <c>/v1/traces</c> (OTLP/HTTP).</summary>
    internal TraceStore Traces { get; }

    /// <summary>The service URL, e.g. <c>http://127.0.0.1:5173/</c> (set by <see cref="StartAsync"/>).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> (<c>127.0.0.1:PORT</c>, the Runtime API at the root of that
    /// port) for processes of a function that connect by themselves.</summary>
    public string RuntimeApiFor(string functionName) => _sandboxes.RuntimeApiFor(functionName);

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

        // An empty builder: the service reads no appsettings.json. The slim builder's did, with reload on change, so it
        // watched the working directory (the user's project) and every folder under it: 2,077 inotify watches from
        // this repository's root, and a start that fails past the system's watch limit in a large one.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, ServiceLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, _options.Port, listen => listen.Use(KestrelRefusals.Shape));
            kestrel.Limits.MaxRequestBodySize = null; // the APIs enforce their own limits, with AWS error codes
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromHours(1);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(_router.DispatchAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");

        if (_options.RunsDriver)
        {
            _scheduler = Task.Run(() => SchedulerLoopAsync(_stop.Token), CancellationToken.None);
        }

        foreach (var function in _dispatcher.Functions)
        {
            _sandboxes.Start(function);
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
        await _sandboxes.StopAllAsync().ConfigureAwait(false);

        if (_scheduler is not null)
        {
            await _scheduler.ConfigureAwait(false);
        }

        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        Traces.Dispose(); // first: the execution store checkpoints the shared WAL file as it closes
        _sqlite?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Waits until the execution closes (or <paramref name="timeout"/> passes) and returns its state.</summary>
    public async Task<GetDurableExecutionResponse> WaitForCloseAsync(string durableExecutionArn, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await Engine.WhenClosedAsync(durableExecutionArn).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // still running: answered with its state as it stands
        }

        return await Engine.GetExecutionAsync(durableExecutionArn).ConfigureAwait(false);
    }

    /// <summary>The SQLite store of <see cref="LocalServiceOptions.DatabasePath"/>; null in memory.</summary>
    internal SqliteExecutionStore? SqliteStore => _sqlite;

    /// <summary>Completes at the next change of the engine (a checkpoint, an invocation's start or end, a timer, a
    /// callback, a start or stop): what the dashboard's event stream waits on.</summary>
    internal Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Cancelled when the service begins to stop, so long-lived requests (event streams) end first and do not
    /// hold up the listener's shutdown.</summary>
    internal CancellationToken Stopping => _stop.Token;

    /// <summary>Tells the driver and waiters that the engine changed.</summary>
    internal void Signal() => Signal(onlyIfSchedulingChanged: false);

    /// <summary>Tells waiters that the engine changed, and the driver only when what it schedules may have changed (a
    /// checkpoint of a running invocation rarely adds a timer or a runnable execution).</summary>
    internal void SignalIfSchedulingChanged() => Signal(onlyIfSchedulingChanged: true);

    private void Signal(bool onlyIfSchedulingChanged)
    {
        NotifyChanged();
        if (_disposed)
        {
            return;
        }

        if (onlyIfSchedulingChanged)
        {
            Driver.SignalIfChanged();
        }
        else
        {
            Driver.Signal();
        }
    }

    /// <summary>Tells the dashboard's event stream that spans arrived (the engine did not change: the driver sleeps on).</summary>
    internal void NotifyTracesChanged() => NotifyChanged();

    /// <summary>Wakes the waiters on the engine's next change (the dashboard's event stream).</summary>
    private Task NotifyChanged()
    {
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();
        return Task.CompletedTask;
    }
}
