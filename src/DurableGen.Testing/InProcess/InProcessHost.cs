using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Testing;

/// <summary>
/// The durable execution service engine hosted in this process, with the functions it invokes. It plays the part of
/// AWS: it starts executions, invokes functions with the real envelope, applies their checkpoints, fires timers on a
/// virtual clock (so a one-year wait costs nothing), and accepts callback completions from external code.
/// </summary>
public sealed class InProcessHost
{
    private readonly FunctionRegistry _functions = new();
    private readonly ExecutionLogSink _logs = new();
    private readonly ConcurrentDictionary<string, byte> _announcedCallbacks = new(StringComparer.Ordinal);
    private readonly BackgroundWork _background = new();
    private readonly VirtualClock? _virtualClock;
    private readonly InProcessInvoker _invoker;
    private readonly ExecutionDriver _driver;

    /// <summary>Creates a host with its own engine and clock.</summary>
    public InProcessHost(InProcessHostOptions? options = null)
    {
        Options = options ?? new InProcessHostOptions();
        _virtualClock = Options.SkipTime ? new VirtualClock(Options.StartTime) : null;
        Clock = (TimeProvider?)_virtualClock ?? TimeProvider.System;
        // The engine asks for a function's configuration when an execution of it starts, as the service reads the
        // deployed DurableConfig: each function's execution timeout is the one it was registered with.
        Engine = new DurableExecutionEngine(new InMemoryExecutionStore(), Clock,
            new EngineOptions { FunctionLookup = _functions.Configuration });
        Callbacks = new EngineCallbackClient(this);
        _invoker = new InProcessInvoker(Engine, _functions, _logs) { Faults = Options.Faults, Logger = Options.Logger };
        _driver = new ExecutionDriver(Engine, _invoker, new ExecutionDriverOptions
        {
            TimeSkip = Options.SkipTime ? TimeSkipPolicy.OperationTimersOnly : TimeSkipPolicy.RealTime,
            Clock = _virtualClock,
            MaxInvocations = Options.MaxInvocations,
            IdleTimeout = Options.IdleTimeout,
        });
        _driver.Dispatched = AfterInvocationAsync;
        _driver.Join(_background);
    }

    /// <summary>The settings.</summary>
    public InProcessHostOptions Options { get; }

    /// <summary>The engine (the emulated durable execution service). Not public: users read the service through
    /// <see cref="GetExecution"/>, <see cref="GetOperations"/> and <see cref="GetHistoryEvents"/>, as they would the AWS
    /// APIs, instead of reaching every engine operation through DurableGen.Testing.</summary>
    internal DurableExecutionEngine Engine { get; }

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
        _functions.Register(registration.FunctionName, invocation => registration.Handler(invocation.Input,
            invocation.Lambda, invocation.Client, RuntimeOptions(chosen, invocation.Logger)),
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
        _functions.RegisterPlain(registration.FunctionName, registration.Handler);
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
        if (!_functions.Contains(functionName.Split(':')[0]))
        {
            throw new InvalidOperationException(
                $"No function named '{functionName}' is registered with this host. Registered: {string.Join(", ", _functions.Names)}.");
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
        _background.Start(work, _driver.Signal);
    }

    /// <summary>The execution, as <c>GetDurableExecution</c> returns it.</summary>
    public GetDurableExecutionResponse GetExecution(string durableExecutionArn) => Engine.GetExecution(durableExecutionArn);

    /// <summary>The execution's operation records, as its state pages list them.</summary>
    public IReadOnlyList<Operation> GetOperations(string durableExecutionArn) => Engine.GetOperations(durableExecutionArn);

    /// <summary>Every history event of the execution, as <c>GetDurableExecutionHistory</c> pages list them.</summary>
    public IReadOnlyList<Event> GetHistoryEvents(string durableExecutionArn) => Engine.GetHistoryEvents(durableExecutionArn);

    /// <summary>Invocations made so far for <paramref name="durableExecutionArn"/>.</summary>
    public int GetInvocationCount(string durableExecutionArn) => Engine.GetSchedulingState(durableExecutionArn).InvocationCount;

    /// <summary>Everything the workflows of <paramref name="durableExecutionArn"/> logged (replay-suppressed lines excluded).</summary>
    public IReadOnlyList<CapturedLog> GetLogs(string durableExecutionArn)
    {
        var logs = new List<CapturedLog>();
        foreach (var record in _logs.Get(durableExecutionArn))
        {
            if (record.Level is { } level)
            {
                logs.Add(new CapturedLog(level, record.Message ?? "", record.Exception));
            }
        }

        return logs;
    }

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
    public Task<bool> RunUntilAsync(Func<bool> done, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(done);
        return _driver.RunUntilAsync(() => _background.ThrowIfFailed() || done(), cancellationToken);
    }

    internal void Signal() => _driver.Signal();

    internal IDurableSerializer ResolveSerializer(IDurableSerializer? serializer, string functionName) =>
        serializer ?? Options.Serializer ?? DurableSerialization.Default
        ?? throw new InvalidOperationException(NoSerializerMessage(functionName));

    internal void RegisterWorkflow<TInput, TOutput>(string functionName, Func<TInput, IDurableContext, Task<TOutput>> workflow,
        IDurableSerializer serializer, TimeSpan? executionTimeout)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(serializer);
        _functions.Register(functionName, invocation => DurableFunction.WrapAsync(workflow, invocation.Input,
            invocation.Lambda, invocation.Client, RuntimeOptions(serializer, invocation.Logger)), executionTimeout);
    }

    private DurableExecutionOptions RuntimeOptions(IDurableSerializer? serializer, ILogger logger) => new()
    {
        Serializer = serializer,
        TimeProvider = Clock,
        Logger = logger,
        Plugins = Options.Plugins,
    };

    /// <summary>After each invocation: stop on an unregistered function, then announce the callbacks it started.</summary>
    private Task AfterInvocationAsync(PendingInvocation invocation)
    {
        if (_invoker.UnregisteredFunction is { } missing)
        {
            throw new InvalidOperationException(
                $"The workflow invoked '{missing}', which is not registered with this host. Register it with " +
                $"RegisterFunction or RegisterDurableFunction. Registered: {string.Join(", ", _functions.Names)}.");
        }

        return AnnounceCallbacksAsync(invocation.DurableExecutionArn);
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
}
