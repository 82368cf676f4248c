using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Execution;

/// <summary>Everything one invocation's contexts share: records, batcher, termination, serializer, clock, logger.</summary>
internal sealed class ExecutionCore : IExecutionContext, IDisposable
{
    private readonly IReadOnlyDictionary<string, string>? _functionArns;

    public ExecutionCore(string executionArn, ExecutionState state, CheckpointBatcher batcher, IDurableSerializer serializer,
        TimeProvider clock, ILambdaContext lambdaContext, ILogger logger, PluginDispatcher plugins,
        IReadOnlyDictionary<string, string>? functionArns = null)
    {
        _functionArns = functionArns;
        Plugins = plugins;
        DurableExecutionArn = executionArn;
        State = state;
        Batcher = batcher;
        Serializer = serializer;
        Clock = clock;
        LambdaContext = lambdaContext;
        Logger = logger;
        Batcher.Failed += _ => Termination.Trip(TerminationReason.CheckpointFailed);
        if (!plugins.IsEmpty)
        {
            Batcher.Merged += changed => plugins.Changed(changed, () => PluginDispatcher.Snapshot(state, false, executionArn), executionArn);
        }
    }

    public string DurableExecutionArn { get; }

    public ExecutionState State { get; }

    public CheckpointBatcher Batcher { get; }

    public IDurableSerializer Serializer { get; }

    public TimeProvider Clock { get; }

    public ILambdaContext LambdaContext { get; }

    /// <summary>The inner logger every context's replay-aware logger starts from.</summary>
    public ILogger Logger { get; }

    public TerminationSignal Termination { get; } = new();

    /// <summary>The instrumentation plugins.</summary>
    public PluginDispatcher Plugins { get; }

    /// <summary>Function name → qualified ARN for chained invokes (see <see cref="DurableGen.FunctionArns"/>), read from
    /// the environment when a chained invoke first needs it, so a malformed map fails only the invokes.</summary>
    public IReadOnlyDictionary<string, string> FunctionArns => _functionArns ?? DurableGen.FunctionArns.Process;

    /// <summary>Sends <paramref name="update"/> and waits until it is durable.</summary>
    public Task CheckpointAsync(OperationUpdate update, CancellationToken cancellationToken = default) =>
        Batcher.EnqueueAsync(update, cancellationToken);

    /// <summary>A token that fires when the caller cancels or the invocation shuts down.</summary>
    public CancellationTokenSource LinkShutdown(CancellationToken callerToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(callerToken, Termination.ShutdownToken);

    public void Dispose() => Termination.Dispose();
}
