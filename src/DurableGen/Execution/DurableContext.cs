using System;
using System.Collections.Generic;
using System.Globalization;
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
        TypedConfig.As<StepConfig<T>>(config, typeof(T)); // validated before an id is allocated
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
        TypedConfig.As<ChildContextConfig<T>>(config, typeof(T)); // validated before an id is allocated
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
        TypedConfig.As<CallbackConfig<T>>(config, typeof(T)); // validated before an id is allocated
        return new CallbackOperation<T>(this, Ids.Next(), name, config, cancellationToken).ExecuteAsync();
    }

    public Task<T> WaitForCallbackAsync<T>(Func<string, IWaitForCallbackContext, CancellationToken, Task> submitter,
        string? name = null, WaitForCallbackConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        return WaitForCallbackOperation.RunAsync<T>(this, submitter, name, config, cancellationToken);
    }

    public Task<TResult> InvokeAsync<TPayload, TResult>(string functionName, TPayload payload, string? name = null,
        InvokeConfig? config = null, CancellationToken cancellationToken = default)
    {
        InvokeOperation<TPayload, TResult>.Validate(functionName);
        TypedConfig.As<InvokeConfig<TPayload, TResult>>(config, typeof(TPayload), typeof(TResult));
        cancellationToken.ThrowIfCancellationRequested();
        return new InvokeOperation<TPayload, TResult>(this, Ids.Next(), name, functionName, payload, config, cancellationToken)
            .ExecuteAsync();
    }

    public Task<TState> WaitForConditionAsync<TState>(Func<TState, IConditionCheckContext, CancellationToken, Task<TState>> check,
        WaitForConditionConfig<TState> config, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(config.WaitStrategy);
        return new WaitForConditionOperation<TState>(this, Ids.Next(), name, check, config, cancellationToken).ExecuteAsync();
    }

    public Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<Func<IDurableContext, CancellationToken, Task<T>>> branches,
        string? name = null, ParallelConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branches);
        var units = new ConcurrentUnit<T>[branches.Count];
        for (var i = 0; i < units.Length; i++)
        {
            units[i] = new ConcurrentUnit<T>(i.ToString(CultureInfo.InvariantCulture),
                branches[i] ?? throw new ArgumentException($"Branch {i} is null.", nameof(branches)));
        }

        return Parallel(units, name, config, cancellationToken);
    }

    public Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<DurableBranch<T>> branches, string? name = null,
        ParallelConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branches);
        var units = new ConcurrentUnit<T>[branches.Count];
        for (var i = 0; i < units.Length; i++)
        {
            var branch = branches[i] ?? throw new ArgumentException($"Branch {i} is null.", nameof(branches));
            units[i] = new ConcurrentUnit<T>(branch.Name, branch.Func);
        }

        return Parallel(units, name, config, cancellationToken);
    }

    public Task<IBatchResult<TResult>> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items,
        Func<IDurableContext, TItem, int, IReadOnlyList<TItem>, CancellationToken, Task<TResult>> func, string? name = null,
        MapConfig<TItem>? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(func);
        var units = new ConcurrentUnit<TResult>[items.Count];
        for (var i = 0; i < units.Length; i++)
        {
            var (item, index) = (items[i], i);
            units[i] = new ConcurrentUnit<TResult>(config?.ItemNamer?.Invoke(item, index) ?? index.ToString(CultureInfo.InvariantCulture),
                (context, token) => func(context, item, index, items, token));
        }

        var typed = TypedConfig.As<MapConfig<TItem, TResult>>(config, typeof(TItem), typeof(TResult));
        var settings = new ConcurrentSettings<TResult>("Map", "MapIteration", config?.MaxConcurrency,
            config?.CompletionConfig ?? CompletionConfig.AllSuccessful(), config?.NestingType ?? NestingType.Nested,
            typed?.ItemSerializer, typed?.ResultSerializer);
        return new ConcurrentOperation<TResult>(this, Ids.Next(), name, units, settings, cancellationToken).ExecuteAsync();
    }

    private Task<IBatchResult<T>> Parallel<T>(ConcurrentUnit<T>[] units, string? name, ParallelConfig? config,
        CancellationToken cancellationToken)
    {
        var typed = TypedConfig.As<ParallelConfig<T>>(config, typeof(T));
        var settings = new ConcurrentSettings<T>("Parallel", "ParallelBranch", config?.MaxConcurrency,
            config?.CompletionConfig ?? CompletionConfig.AllSuccessful(), config?.NestingType ?? NestingType.Nested,
            typed?.ItemSerializer, typed?.ResultSerializer);
        return new ConcurrentOperation<T>(this, Ids.Next(), name, units, settings, cancellationToken).ExecuteAsync();
    }
}
