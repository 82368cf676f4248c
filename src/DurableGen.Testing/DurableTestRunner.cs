using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Testing;

/// <summary>
/// Runs one workflow in a unit test on an in-process durable execution service: each invocation gets the real
/// envelope, checkpoints go through the real serializer and are validated as AWS would, and time is skipped.
/// </summary>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
/// <typeparam name="TOutput">The workflow's result type.</typeparam>
public sealed class DurableTestRunner<TInput, TOutput>
{
    private readonly IDurableSerializer _serializer;
    private readonly string _functionName;

    /// <summary>Creates a runner for <paramref name="workflow"/>.</summary>
    public DurableTestRunner(Func<TInput, IDurableContext, Task<TOutput>> workflow, DurableTestRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        options ??= new DurableTestRunnerOptions();
        Host = new InProcessHost(options.Host);
        _serializer = options.Serializer ?? options.Host.Serializer ?? DurableSerialization.Default
            ?? DurableTestRunner.DefaultSerializer;
        _functionName = options.FunctionName;
        Host.RegisterDurableFunction(_functionName, workflow, _serializer);
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
    internal static IDurableSerializer DefaultSerializer => InProcess.ReflectionJsonSerializer.Fallback();

    /// <summary>A runner for a workflow that returns nothing.</summary>
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
}

/// <summary>Settings of a <see cref="DurableTestRunner{TInput, TOutput}"/>.</summary>
public sealed class DurableTestRunnerOptions
{
    /// <summary>The host settings (time skipping, guards, faults, logging).</summary>
    public InProcessHostOptions Host { get; init; } = new();

    /// <summary>The serializer (default: the registered one, else reflection-based JSON).</summary>
    public IDurableSerializer? Serializer { get; init; }

    /// <summary>The function name the workflow is registered under (default <c>workflow</c>).</summary>
    public string FunctionName { get; init; } = "workflow";
}
