using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator;
using DurableGen.Protocol;
using DurableGen.Testing.InProcess;
using Microsoft.Extensions.Logging;

namespace DurableGen.Testing;

/// <summary>
/// The durable execution service engine hosted in this process, with the functions it invokes. It plays the part of
/// AWS: it starts executions, invokes functions with the real envelope, applies their checkpoints, fires timers on a
/// virtual clock (so a one-year wait costs nothing), and accepts callback completions from external code.
/// </summary>
public sealed class InProcessHost
{
    private readonly ConcurrentDictionary<string, HostedFunction> _functions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _announcedCallbacks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _executions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly ConcurrentQueue<Exception> _backgroundFailures = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CapturedLog>> _logs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);
    private readonly VirtualClock? _virtualClock;
    private readonly ExecutionScheduler _scheduler;
    private string? _lastInvoked;
    private string? _unregistered;

    /// <summary>Creates a host with its own engine and clock.</summary>
    public InProcessHost(InProcessHostOptions? options = null)
    {
        Options = options ?? new InProcessHostOptions();
        _virtualClock = Options.SkipTime ? new VirtualClock(Options.StartTime) : null;
        Clock = (TimeProvider?)_virtualClock ?? TimeProvider.System;
        Engine = new DurableExecutionEngine(new InMemoryExecutionStore(), Clock);
        Callbacks = new EngineCallbackClient(this);
        _scheduler = new ExecutionScheduler(Engine, new Invoker(this), _virtualClock);
    }

    /// <summary>The settings.</summary>
    public InProcessHostOptions Options { get; }

    /// <summary>The engine (the emulated durable execution service).</summary>
    public DurableExecutionEngine Engine { get; }

    /// <summary>The clock the engine and the functions read.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The client external systems use to complete callbacks; completing one wakes a waiting run.</summary>
    public IDurableCallbackClient Callbacks { get; }

    /// <summary>Raised for every callback that starts, with the execution ARN and the callback record.</summary>
    public event Func<string, Operation, Task>? CallbackStarted;

    /// <summary>Registers a durable function that returns a result.</summary>
    public void RegisterDurableFunction<TInput, TOutput>(string functionName,
        Func<TInput, IDurableContext, Task<TOutput>> workflow, IDurableSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        Register(functionName, (input, lambda, client, logger) => DurableFunction.WrapAsync(workflow, input, lambda, client,
            RuntimeOptions(serializer, logger)));
    }

    /// <summary>Registers a durable function that returns nothing.</summary>
    public void RegisterDurableFunction<TInput>(string functionName, Func<TInput, IDurableContext, Task> workflow,
        IDurableSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        Register(functionName, (input, lambda, client, logger) => DurableFunction.WrapAsync(workflow, input, lambda, client,
            RuntimeOptions(serializer, logger)));
    }

    /// <summary>
    /// Registers a plain (not durable) function, for chained invokes: it receives the payload and its result, or its
    /// exception, becomes the invoke's outcome.
    /// </summary>
    public void RegisterFunction<TInput, TOutput>(string functionName, Func<TInput, CancellationToken, Task<TOutput>> handler,
        IDurableSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        RegisterDurableFunction<TInput, TOutput>(functionName, (input, _) => handler(input, CancellationToken.None), serializer);
    }

    /// <summary>Starts an execution of <paramref name="functionName"/> with <paramref name="payload"/> (JSON text).</summary>
    public string StartExecution(string functionName, string? payload, string? executionName = null)
    {
        if (!_functions.ContainsKey(functionName.Split(':')[0]))
        {
            throw new InvalidOperationException(
                $"No function named '{functionName}' is registered with this host. Registered: {string.Join(", ", _functions.Keys)}.");
        }

        var arn = Engine.StartExecution(new StartExecutionRequest
        {
            FunctionName = functionName, ExecutionName = executionName, Payload = payload,
        }).DurableExecutionArn;
        Signal();
        return arn;
    }

    /// <summary>
    /// Runs external work — a plain function invoked asynchronously, an approver, any system that answers callbacks —
    /// as part of this host's world: time is not skipped while it runs (it works in real time while the clock is
    /// virtual), and if it throws, the next <see cref="RunUntilAsync"/> reports it.
    /// </summary>
    public void StartBackground(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var task = Task.Run(work);
        _background.TryAdd(task, 0);
        _ = task.ContinueWith(done =>
        {
            if (done.Exception is { } failure)
            {
                _backgroundFailures.Enqueue(failure.InnerExceptions.Count == 1 ? failure.InnerException! : failure);
            }

            _background.TryRemove(done, out _);
            Signal();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Invocations made so far for <paramref name="durableExecutionArn"/>.</summary>
    public int GetInvocationCount(string durableExecutionArn) => Engine.GetSchedulingState(durableExecutionArn).InvocationCount;

    /// <summary>Everything the workflows of <paramref name="durableExecutionArn"/> logged (replay-suppressed lines excluded).</summary>
    public IReadOnlyList<CapturedLog> GetLogs(string durableExecutionArn) =>
        _logs.TryGetValue(durableExecutionArn, out var logs) ? logs.ToArray() : Array.Empty<CapturedLog>();

    /// <summary>Moves the virtual clock forward and fires what became due (time-skipping hosts only).</summary>
    public void AdvanceTime(TimeSpan delta)
    {
        if (_virtualClock is null)
        {
            throw new InvalidOperationException("AdvanceTime needs a host that skips time (InProcessHostOptions.SkipTime).");
        }

        _virtualClock.Advance(delta);
        Engine.FireDueTimers();
    }

    /// <summary>
    /// Runs invocations and timers until <paramref name="done"/> holds, or nothing can happen for
    /// <see cref="InProcessHostOptions.IdleTimeout"/>. Returns whether <paramref name="done"/> held.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="InProcessHostOptions.MaxInvocations"/> invocations ran.</exception>
    public async Task<bool> RunUntilAsync(Func<bool> done, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(done);
        var total = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_backgroundFailures.TryDequeue(out var failure))
            {
                throw new InvalidOperationException($"Background work failed: {failure.Message}", failure);
            }

            if (done())
            {
                return true;
            }

            if (await _scheduler.RunOnceAsync(cancellationToken).ConfigureAwait(false))
            {
                if (++total > Options.MaxInvocations)
                {
                    throw new InvalidOperationException(
                        $"The run made more than {Options.MaxInvocations} invocations; the workflow looks like it never finishes.");
                }

                if (_unregistered is { } missing)
                {
                    throw new InvalidOperationException(
                        $"The workflow invoked '{missing}', which is not registered with this host. Register it with " +
                        $"RegisterFunction or RegisterDurableFunction. Registered: {string.Join(", ", _functions.Keys)}.");
                }

                await AnnounceCallbacksAsync(_lastInvoked!).ConfigureAwait(false);
                continue;
            }

            var due = Engine.NextDueTime;
            if (_virtualClock is not null)
            {
                // External work in flight may still answer: never skip time past it.
                if (!_background.IsEmpty)
                {
                    await _changed.WaitAsync(Options.IdleTimeout, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (due is { } next && WaitsOnOperationTimer())
                {
                    _virtualClock.SetUtcNow(next);
                    continue;
                }

                // Only execution timeouts are left: the executions wait on the outside world (a callback another task
                // may complete). Give it IdleTimeout of wall time, then report the execution as it stands.
                if (!await _changed.WaitAsync(Options.IdleTimeout, cancellationToken).ConfigureAwait(false))
                {
                    return done();
                }

                continue;
            }

            // Real time: sleep until the next timer, or give up when it is further away than IdleTimeout.
            var untilDue = due is { } realDue ? realDue - Clock.GetUtcNow() : TimeSpan.MaxValue;
            var wait = Min(untilDue, Options.IdleTimeout);
            if (!await _changed.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cancellationToken).ConfigureAwait(false)
                && untilDue > Options.IdleTimeout)
            {
                return done();
            }
        }
    }

    internal void Signal() => _changed.Release();

    /// <summary>
    /// Whether skipping time would reach an operation's timer. When only execution timeouts are left, the executions
    /// wait on the outside world (a callback nobody has answered yet): skipping a day to time them out would hide that.
    /// </summary>
    private bool WaitsOnOperationTimer()
    {
        foreach (var arn in _executions.Keys)
        {
            if (Engine.GetSchedulingState(arn).WaitsOnOperationTimer)
            {
                return true;
            }
        }

        return false;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void Register(string functionName, HostedFunction function)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        _functions[functionName] = function;
    }

    private DurableExecutionOptions RuntimeOptions(IDurableSerializer? serializer, ILogger logger) => new()
    {
        Serializer = serializer ?? Options.Serializer ?? DurableSerialization.Default ?? ReflectionJsonSerializer.Fallback(),
        TimeProvider = Clock,
        Logger = logger,
        Plugins = Options.Plugins,
    };

    private async Task<DurableExecutionInvocationOutput> InvokeAsync(PendingInvocation invocation)
    {
        _lastInvoked = invocation.DurableExecutionArn;
        _executions.TryAdd(invocation.DurableExecutionArn, 0);
        var faults = new InvocationFaults(GetInvocationCount(invocation.DurableExecutionArn), Options.Faults);
        var client = new InProcessServiceClient(Engine, faults);
        var envelope = InProcessServiceClient.RoundTrip(invocation.Input, ProtocolJson.Envelope.DurableExecutionInvocationInput);
        var lambda = new LambdaContext(invocation.RequestId, invocation.FunctionName, invocation.Version, clock: Clock);
        var logger = new CapturingLogger(_logs.GetOrAdd(invocation.DurableExecutionArn, _ => new()), Options.Logger);
        try
        {
            if (!_functions.TryGetValue(invocation.FunctionName, out var function))
            {
                _unregistered = invocation.FunctionName;
                throw new InvalidOperationException($"No function named '{invocation.FunctionName}' is registered with this host.");
            }

            var output = await function(envelope, lambda, client, logger).ConfigureAwait(false);
            if (faults.HasCrashed)
            {
                throw new SimulatedCrashException();
            }

            return InProcessServiceClient.RoundTrip(output, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
        }
        catch (Exception ex)
        {
            // What Lambda records: a dead process is an exit error whatever the SDK made of the failed call on its way
            // out; otherwise the handler's unhandled exception.
            throw new FunctionInvocationException(new ErrorObject
            {
                ErrorType = ex is SimulatedCrashException || faults.HasCrashed
                    ? DurableExecutionEngine.RuntimeExitError
                    : ex.GetType().FullName,
                ErrorMessage = ex.Message,
            }, ex);
        }
    }

    private async Task AnnounceCallbacksAsync(string arn)
    {
        if (CallbackStarted is not { } handlers)
        {
            return;
        }

        foreach (var operation in Engine.GetOperations(arn))
        {
            if (operation.Type == OperationType.Callback && operation.Status == OperationStatus.Started
                && _announcedCallbacks.TryAdd(arn + "/" + operation.Id, 0))
            {
                foreach (var handler in handlers.GetInvocationList())
                {
                    await ((Func<string, Operation, Task>)handler)(arn, operation).ConfigureAwait(false);
                }
            }
        }
    }

    private sealed class Invoker(InProcessHost host) : IFunctionInvoker
    {
        public Task<DurableExecutionInvocationOutput> InvokeAsync(PendingInvocation invocation,
            CancellationToken cancellationToken) => host.InvokeAsync(invocation);
    }

    private delegate Task<DurableExecutionInvocationOutput> HostedFunction(DurableExecutionInvocationInput input,
        ILambdaContext lambdaContext, IDurableServiceClient client, ILogger logger);
}
