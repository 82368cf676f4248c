using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Testing;

/// <summary>
/// Runs one workflow in a unit test on an in-process durable execution service: each invocation gets the real
/// envelope, checkpoints go through the real serializer and are validated as AWS would, and time is skipped. Build it
/// from the workflow's generated registration (<see cref="DurableTestRunner.Create{TInput, TOutput}(DurableWorkflowRegistration{TInput, TOutput}, DurableTestRunnerOptions?)"/>)
/// so it runs with what production runs with: the workflow's serializer, function name and execution timeout.
/// </summary>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
/// <typeparam name="TOutput">The workflow's result type.</typeparam>
public sealed class DurableTestRunner<TInput, TOutput>
{
    private readonly IDurableSerializer _serializer;
    private readonly string _functionName;

    /// <summary>
    /// Creates a runner for a workflow written in the test. Its serializer is
    /// <see cref="DurableTestRunnerOptions.Serializer"/>, else the host's, else the registered default; with none, this
    /// throws. For a <c>[DurableWorkflow]</c> class use <see cref="DurableTestRunner.Create{TInput, TOutput}(DurableWorkflowRegistration{TInput, TOutput}, DurableTestRunnerOptions?)"/>
    /// instead; for an ad-hoc workflow opt in to <see cref="DurableTestSerializers.Reflection"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No serializer was given or registered.</exception>
    public DurableTestRunner(Func<TInput, IDurableContext, Task<TOutput>> workflow, DurableTestRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        options ??= new DurableTestRunnerOptions();
        _functionName = options.FunctionName ?? DurableTestRunnerOptions.DefaultFunctionName;
        Host = new InProcessHost(options.Host);
        _serializer = Host.ResolveSerializer(options.Serializer, _functionName);
        Host.RegisterWorkflow(_functionName, workflow, _serializer, options.ExecutionTimeout);
    }

    /// <summary>A runner over a function <paramref name="register"/> puts on the host under <paramref name="functionName"/>.</summary>
    internal DurableTestRunner(DurableTestRunnerOptions options, string functionName, IDurableSerializer serializer,
        Action<InProcessHost> register)
    {
        _functionName = functionName;
        _serializer = serializer;
        Host = new InProcessHost(options.Host);
        register(Host);
    }

    /// <summary>The host: register more functions, complete callbacks, move time.</summary>
    public InProcessHost Host { get; }

    /// <summary>
    /// Answers every callback named <paramref name="name"/> (or wait-for-callback of that name) as soon as it starts.
    /// </summary>
    public DurableTestRunner<TInput, TOutput> OnCallback(string name, Func<DurableTestCallback, Task> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        Host.CallbackStarted += (_, record) => DurableTestCallback.Matches(record, name)
            ? respond(new DurableTestCallback(record, Host.Callbacks, _serializer))
            : Task.CompletedTask;
        return this;
    }

    /// <summary>Runs the workflow until it finishes, or until it waits on something nothing will answer.</summary>
    public async Task<DurableTestResult<TOutput>> RunAsync(TInput input, CancellationToken cancellationToken = default)
    {
        var execution = await StartAsync(input, cancellationToken).ConfigureAwait(false);
        return await execution.WaitForResultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the workflow without running it; drive it with the returned execution.</summary>
    public Task<DurableTestExecution<TOutput>> StartAsync(TInput input, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var arn = Host.StartExecution(_functionName, _serializer.Serialize(input));
        return Task.FromResult(new DurableTestExecution<TOutput>(Host, arn, _serializer));
    }
}

/// <summary>Factories for runners.</summary>
public static class DurableTestRunner
{
    /// <summary>
    /// A runner that runs the workflow exactly as production does: the registration's handler (so the generated
    /// creation path and the workflow's own <c>JsonSerializerContext</c>), its function name and its execution timeout.
    /// A value the context lacks fails here as it fails in the AOT bootstrap.
    /// </summary>
    /// <param name="registration">The generated registration: <c>OrderWorkflow.Registration</c>.</param>
    /// <param name="options">Host settings, and overrides of the serializer, execution timeout or function name.</param>
    public static DurableTestRunner<TInput, TOutput> Create<TInput, TOutput>(
        DurableWorkflowRegistration<TInput, TOutput> registration, DurableTestRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registration);
        options ??= new DurableTestRunnerOptions();
        var name = options.FunctionName ?? registration.FunctionName;
        return new DurableTestRunner<TInput, TOutput>(options, name, options.Serializer ?? registration.Serializer,
            host => host.RegisterDurableFunction(Renamed(registration, name), options.Serializer, options.ExecutionTimeout));
    }

    /// <summary>
    /// A runner for a workflow whose instance the test builds (with test doubles for its dependencies), with the
    /// registration's serializer, function name and execution timeout:
    /// <c>DurableTestRunner.Create(OrderWorkflow.Registration, new OrderWorkflow(fakes).RunAsync)</c>.
    /// </summary>
    /// <param name="registration">The generated registration: <c>OrderWorkflow.Registration</c>.</param>
    /// <param name="workflow">The workflow method to run in place of the generated creation path.</param>
    /// <param name="options">Host settings, and overrides of the serializer, execution timeout or function name.</param>
    public static DurableTestRunner<TInput, TOutput> Create<TInput, TOutput>(
        DurableWorkflowRegistration<TInput, TOutput> registration, Func<TInput, IDurableContext, Task<TOutput>> workflow,
        DurableTestRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(workflow);
        options ??= new DurableTestRunnerOptions();
        var name = options.FunctionName ?? registration.FunctionName;
        var serializer = options.Serializer ?? registration.Serializer;
        return new DurableTestRunner<TInput, TOutput>(options, name, serializer,
            host => host.RegisterWorkflow(name, workflow, serializer, options.ExecutionTimeout ?? registration.ExecutionTimeout));
    }

    /// <summary>
    /// A runner for a workflow that returns nothing, whose instance the test builds, with the registration's
    /// serializer, function name and execution timeout.
    /// </summary>
    /// <param name="registration">The generated registration: <c>AuditWorkflow.Registration</c>.</param>
    /// <param name="workflow">The workflow method to run in place of the generated creation path.</param>
    /// <param name="options">Host settings, and overrides of the serializer, execution timeout or function name.</param>
    public static DurableTestRunner<TInput, object?> Create<TInput>(DurableWorkflowRegistration<TInput, object?> registration,
        Func<TInput, IDurableContext, Task> workflow, DurableTestRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return Create(registration, async (input, context) =>
        {
            await workflow(input, context).ConfigureAwait(false);
            return (object?)null;
        }, options);
    }

    /// <summary>
    /// A runner for a workflow written in the test that returns nothing (serializer as for
    /// <see cref="DurableTestRunner{TInput, TOutput}(Func{TInput, IDurableContext, Task{TOutput}}, DurableTestRunnerOptions?)"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No serializer was given or registered.</exception>
    public static DurableTestRunner<TInput, object?> Create<TInput>(Func<TInput, IDurableContext, Task> workflow,
        DurableTestRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return new DurableTestRunner<TInput, object?>(async (input, context) =>
        {
            await workflow(input, context).ConfigureAwait(false);
            return null;
        }, options);
    }

    /// <summary>The registration under another function name (a test's override), same handler and settings.</summary>
    private static DurableWorkflowRegistration Renamed<TInput, TOutput>(DurableWorkflowRegistration<TInput, TOutput> registration,
        string name) => name == registration.FunctionName
        ? registration
        : new DurableWorkflowRegistration<TInput, TOutput>(name, registration.WorkflowType, registration.Handler,
            registration.Serializer, registration.ExecutionTimeout, registration.RetentionPeriodInDays);
}

/// <summary>Settings of a <see cref="DurableTestRunner{TInput, TOutput}"/>.</summary>
public sealed class DurableTestRunnerOptions
{
    internal const string DefaultFunctionName = "workflow";

    /// <summary>The host settings (time skipping, guards, faults, logging).</summary>
    public InProcessHostOptions Host { get; init; } = new();

    /// <summary>
    /// The serializer. Default: the registration's (the workflow's <c>JsonSerializerContext</c>); for a workflow
    /// written in the test, the host's, else <see cref="DurableSerialization.Default"/>, else none (the runner throws;
    /// opt in to <see cref="DurableTestSerializers.Reflection"/> explicitly).
    /// </summary>
    public IDurableSerializer? Serializer { get; init; }

    /// <summary>
    /// The execution timeout every execution gets (1 s to 366 days). Default: the registration's
    /// (<c>[DurableWorkflow(ExecutionTimeout = …)]</c>), else the service's 24 hours.
    /// </summary>
    public TimeSpan? ExecutionTimeout { get; init; }

    /// <summary>The function name the workflow is registered under (default: the registration's, else <c>workflow</c>).</summary>
    public string? FunctionName { get; init; }
}
