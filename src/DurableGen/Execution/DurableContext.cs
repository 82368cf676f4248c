using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Operations;
using Microsoft.Extensions.Logging;

namespace DurableGen.Execution;

/// <summary>
/// One durable context: the root of a workflow or a child context. It owns the positional id generator of its
/// operations and hands each durable call to the operation class that implements it.
/// </summary>
internal sealed class DurableContext : IDurableContext
{
    private ReplayAwareLogger _logger;

    public DurableContext(ExecutionCore core, OperationIdGenerator ids)
    {
        Core = core;
        Ids = ids;
        _logger = new ReplayAwareLogger(core.Logger, core.State, modeAware: true);
    }

    public ExecutionCore Core { get; }

    public OperationIdGenerator Ids { get; }

    public ILogger Logger => _logger;

    public IExecutionContext ExecutionContext => Core;

    public ILambdaContext LambdaContext => Core.LambdaContext;

    public void ConfigureLogger(LoggerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _logger = new ReplayAwareLogger(config.CustomLogger ?? _logger.Inner, Core.State, config.ModeAware);
    }

    public Task<T> StepAsync<T>(Func<IStepContext, CancellationToken, Task<T>> func, string? name = null,
        StepConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return new StepOperation<T>(this, Ids.Next(), name, func, config, cancellationToken).ExecuteAsync();
    }

    public Task StepAsync(Func<IStepContext, CancellationToken, Task> func, string? name = null, StepConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return StepAsync<object?>(async (step, token) =>
        {
            await func(step, token).ConfigureAwait(false);
            return null;
        }, name, config, cancellationToken);
    }

    public Task WaitAsync(TimeSpan duration, string? name = null, CancellationToken cancellationToken = default)
    {
        WaitOperation.Validate(duration);
        cancellationToken.ThrowIfCancellationRequested();
        return new WaitOperation(this, Ids.Next(), name, duration).ExecuteAsync();
    }

    public Task<T> RunInChildContextAsync<T>(Func<IDurableContext, CancellationToken, Task<T>> func, string? name = null,
        ChildContextConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return new ChildContextOperation<T>(this, Ids.Next(), name, func, config, cancellationToken).ExecuteAsync();
    }

    public Task RunInChildContextAsync(Func<IDurableContext, CancellationToken, Task> func, string? name = null,
        ChildContextConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return RunInChildContextAsync<object?>(async (child, token) =>
        {
            await func(child, token).ConfigureAwait(false);
            return null;
        }, name, config, cancellationToken);
    }

    public Task<ICallback<T>> CreateCallbackAsync<T>(string? name = null, CallbackConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new CallbackOperation<T>(this, Ids.Next(), name, config, cancellationToken).ExecuteAsync();
    }

    public Task<T> WaitForCallbackAsync<T>(Func<string, IWaitForCallbackContext, CancellationToken, Task> submitter,
        string? name = null, WaitForCallbackConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        return WaitForCallbackOperation.RunAsync<T>(this, submitter, name, config, cancellationToken);
    }
}
