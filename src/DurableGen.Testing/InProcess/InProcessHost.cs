using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
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
    private const int MaxExecutionTimeoutSeconds = 366 * 24 * 3600;

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
        // The engine asks for a function's configuration when an execution of it starts, as the service reads the
        // deployed DurableConfig: each function's execution timeout is the one it was registered with.
        Engine = new DurableExecutionEngine(new InMemoryExecutionStore(), Clock,
            new EngineOptions { FunctionLookup = Configuration });
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

    /// <summary>
    /// Registers a durable function as production runs it: the registration's handler (the generated creation path and
    /// the workflow's own serializer) under its function name, with its execution timeout. Use it for the workflow a
    /// test runs and for the durable functions that workflow invokes.
    /// </summary>
    /// <param name="registration">The generated registration (<c>OrderWorkflow.Registration</c>).</param>
    /// <param name="serializer">A serializer to use instead of the registration's.</param>
    /// <param name="executionTimeout">An execution timeout to use instead of the registration's (1 s to 366 days).</param>
    public void RegisterDurableFunction(DurableWorkflowRegistration registration, IDurableSerializer? serializer = null,
        TimeSpan? executionTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(registration);

        // A hand-built registration may carry no serializer: its handler then takes the host's, if any.
        var chosen = serializer ?? (registration.Serializer is null ? Options.Serializer : null);
        Register(registration.FunctionName, (input, lambda, client, logger) =>
            registration.Handler(input, lambda, client, RuntimeOptions(chosen, logger)),
            executionTimeout ?? registration.ExecutionTimeout);
    }

    /// <summary>
    /// Registers a durable function under the registration's name, serializer and execution timeout, run by
    /// <paramref name="workflow"/>: for a workflow built with test doubles (<c>new OrderWorkflow(fakes).RunAsync</c>).
    /// </summary>
    public void RegisterDurableFunction<TInput, TOutput>(DurableWorkflowRegistration<TInput, TOutput> registration,
        Func<TInput, IDurableContext, Task<TOutput>> workflow, IDurableSerializer? serializer = null,
        TimeSpan? executionTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RegisterWorkflow(registration.FunctionName, workflow, serializer ?? registration.Serializer,
            executionTimeout ?? registration.ExecutionTimeout);
    }

    /// <summary>
    /// Registers a durable function that returns nothing under the registration's name, serializer and execution
    /// timeout, run by <paramref name="workflow"/>.
    /// </summary>
    public void RegisterDurableFunction<TInput>(DurableWorkflowRegistration<TInput, object?> registration,
        Func<TInput, IDurableContext, Task> workflow, IDurableSerializer? serializer = null, TimeSpan? executionTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(workflow);
        RegisterWorkflow<TInput, object?>(registration.FunctionName, async (input, context) =>
        {
            await workflow(input, context).ConfigureAwait(false);
            return null;
        }, serializer ?? registration.Serializer, executionTimeout ?? registration.ExecutionTimeout);
    }

    /// <summary>
    /// Registers a durable function that returns a result, written in the test. Its serializer is
    /// <paramref name="serializer"/>, else <see cref="InProcessHostOptions.Serializer"/>, else the registered default;
    /// with none, registering throws (opt in to <see cref="DurableTestSerializers.Reflection"/> explicitly).
    /// </summary>
    /// <exception cref="InvalidOperationException">No serializer was given or registered.</exception>
    public void RegisterDurableFunction<TInput, TOutput>(string functionName,
        Func<TInput, IDurableContext, Task<TOutput>> workflow, IDurableSerializer? serializer = null) =>
        RegisterWorkflow(functionName, workflow, ResolveSerializer(serializer, functionName), null);

    /// <summary>Registers a durable function that returns nothing, written in the test (serializer as above).</summary>
    /// <exception cref="InvalidOperationException">No serializer was given or registered.</exception>
    public void RegisterDurableFunction<TInput>(string functionName, Func<TInput, IDurableContext, Task> workflow,
        IDurableSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        RegisterWorkflow<TInput, object?>(functionName, async (input, context) =>
        {
            await workflow(input, context).ConfigureAwait(false);
            return null;
        }, ResolveSerializer(serializer, functionName), null);
    }

    /// <summary>
    /// Registers a plain (not durable) function as production runs it, for chained invokes: its generated handler gets
    /// the invoke's payload as its event, and its response, or its exception, becomes the invoke's outcome.
    /// </summary>
    /// <param name="registration">The generated registration (<c>PricingFunction.Registration</c>).</param>
    public void RegisterFunction(LambdaFunctionRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Register(registration.FunctionName, async (input, lambda, _, _) =>
        {
            string? payload = null;
            foreach (var operation in input.InitialExecutionState?.Operations ?? [])
            {
                payload ??= operation.Type == OperationType.Execution ? operation.ExecutionDetails?.InputPayload : null;
            }

            try
            {
                var response = await registration.Handler(Encoding.UTF8.GetBytes(payload ?? "null"), lambda,
                    CancellationToken.None).ConfigureAwait(false);
                return new DurableExecutionInvocationOutput
                {
                    Status = InvocationStatus.Succeeded, Result = Encoding.UTF8.GetString(response),
                };
            }
            catch (Exception ex)
            {
                return new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = DurableErrors.FromException(ex) };
            }
        }, null);
    }

    /// <summary>
    /// Registers a plain (not durable) function written in the test, for chained invokes: it receives the payload and
    /// its result, or its exception, becomes the invoke's outcome. Serializer as for a durable function.
    /// </summary>
    /// <exception cref="InvalidOperationException">No serializer was given or registered.</exception>
    public void RegisterFunction<TInput, TOutput>(string functionName, Func<TInput, CancellationToken, Task<TOutput>> handler,
        IDurableSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        RegisterDurableFunction<TInput, TOutput>(functionName, (input, _) => handler(input, CancellationToken.None), serializer);
    }

    /// <summary>
    /// What to say when a test gives no serializer: where production's comes from, and how to opt in to reflection.
    /// </summary>
    internal static string NoSerializerMessage(string functionName) =>
        $"No serializer for '{functionName}'. Build the runner from the workflow's generated registration " +
        "(DurableTestRunner.Create(MyWorkflow.Registration), or host.RegisterDurableFunction(MyWorkflow.Registration)) " +
        "so it uses the workflow's JsonSerializerContext as production does; or pass one (DurableTestRunnerOptions." +
        "Serializer, InProcessHostOptions.Serializer, or DurableSerialization.Register(MyJsonContext.Default)). For a " +
        "workflow written in the test, opt in to reflection-based JSON with Serializer = DurableTestSerializers.Reflection " +
        "(it serializes types the workflow's context may lack, which then fail in the AOT bootstrap).";

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

    internal IDurableSerializer ResolveSerializer(IDurableSerializer? serializer, string functionName) =>
        serializer ?? Options.Serializer ?? DurableSerialization.Default
        ?? throw new InvalidOperationException(NoSerializerMessage(functionName));

    internal void RegisterWorkflow<TInput, TOutput>(string functionName, Func<TInput, IDurableContext, Task<TOutput>> workflow,
        IDurableSerializer serializer, TimeSpan? executionTimeout)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(serializer);
        Register(functionName, (input, lambda, client, logger) => DurableFunction.WrapAsync(workflow, input, lambda, client,
            RuntimeOptions(serializer, logger)), executionTimeout);
    }

    private void Register(string functionName, HostedHandler handler, TimeSpan? executionTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        _functions[functionName] = new HostedFunction(handler, TimeoutSeconds(executionTimeout));
    }

    /// <summary>The execution timeout in whole seconds, as <c>DurableConfig</c> takes it (rounded up).</summary>
    private static int? TimeoutSeconds(TimeSpan? timeout)
    {
        if (timeout is not { } value)
        {
            return null;
        }

        var seconds = Math.Ceiling(value.TotalSeconds);
        return seconds is >= 1 and <= MaxExecutionTimeoutSeconds
            ? (int)seconds
            : throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "An execution timeout is 1 second to 366 days, as the service accepts it.");
    }

    private FunctionConfiguration? Configuration(string functionName) => _functions.TryGetValue(functionName, out var function)
        ? new FunctionConfiguration(Array.Empty<string>(), function.ExecutionTimeoutSeconds)
        : null;

    private DurableExecutionOptions RuntimeOptions(IDurableSerializer? serializer, ILogger logger) => new()
    {
        Serializer = serializer,
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

            var output = await function.Handler(envelope, lambda, client, logger).ConfigureAwait(false);
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

    private delegate Task<DurableExecutionInvocationOutput> HostedHandler(DurableExecutionInvocationInput input,
        ILambdaContext lambdaContext, IDurableServiceClient client, ILogger logger);

    /// <summary>A registered function: how to run an invocation, and the execution timeout its executions get.</summary>
    private sealed record HostedFunction(HostedHandler Handler, int? ExecutionTimeoutSeconds);
}
