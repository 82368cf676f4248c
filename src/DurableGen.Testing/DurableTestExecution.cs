using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Testing;

/// <summary>A running test execution, driven step by step: wait for a callback, answer it, move time, get the result.</summary>
/// <typeparam name="TOutput">The workflow's result type.</typeparam>
public sealed class DurableTestExecution<TOutput>
{
    private readonly InProcessHost _host;
    private readonly IDurableSerializer _serializer;

    internal DurableTestExecution(InProcessHost host, string arn, IDurableSerializer serializer)
    {
        _host = host;
        DurableExecutionArn = arn;
        _serializer = serializer;
    }

    /// <summary>The execution ARN.</summary>
    public string DurableExecutionArn { get; }

    /// <summary>The execution's current status.</summary>
    public ExecutionStatus Status => _host.Engine.GetExecution(DurableExecutionArn).Status;

    /// <summary>
    /// Runs the execution until a callback named <paramref name="name"/> (or a wait-for-callback of that name) has
    /// started and is waiting, and returns it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The execution ended, or went idle, without starting that callback.</exception>
    public async Task<DurableTestCallback> WaitForCallbackAsync(string name, CancellationToken cancellationToken = default)
    {
        Operation? found = null;
        await _host.RunUntilAsync(() => (found = FindCallback(name)) is not null || IsClosed(), cancellationToken)
            .ConfigureAwait(false);
        return found is not null
            ? new DurableTestCallback(found, _host.Callbacks, _serializer)
            : throw new InvalidOperationException(
                $"The execution is {Status} and never started a callback named '{name}'.");
    }

    /// <summary>Runs the execution until it is closed, or idle with nothing left to do but wait for an external system.</summary>
    public async Task<DurableTestResult<TOutput>> WaitForResultAsync(CancellationToken cancellationToken = default)
    {
        await _host.RunUntilAsync(IsClosed, cancellationToken).ConfigureAwait(false);
        return GetResult();
    }

    /// <summary>Runs whatever can run now without waiting for an external system, then returns the current state.</summary>
    public async Task<DurableTestResult<TOutput>> RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        await _host.RunUntilAsync(() => IsClosed() || IsIdle(), cancellationToken).ConfigureAwait(false);
        return GetResult();
    }

    /// <summary>Moves the virtual clock forward by <paramref name="delta"/>.</summary>
    public void AdvanceTime(TimeSpan delta) => _host.AdvanceTime(delta);

    /// <summary>The current state, without running anything; the history is complete (every page).</summary>
    public DurableTestResult<TOutput> GetResult() => new(DurableExecutionArn, _host.Engine.GetExecution(DurableExecutionArn),
        _host.Engine.GetOperations(DurableExecutionArn), _host.Engine.GetHistoryEvents(DurableExecutionArn),
        _host.GetInvocationCount(DurableExecutionArn), _host.GetLogs(DurableExecutionArn), _serializer);

    private bool IsClosed() => Status != ExecutionStatus.Running;

    private bool IsIdle()
    {
        var state = _host.Engine.GetSchedulingState(DurableExecutionArn);
        return !state.IsRunnable && !state.HasActiveInvocation && (!state.WaitsOnOperationTimer || !_host.Options.SkipTime);
    }

    private Operation? FindCallback(string name) => _host.Engine.GetOperations(DurableExecutionArn).FirstOrDefault(o =>
        o.Type == OperationType.Callback && o.Status == OperationStatus.Started
        && DurableTestCallback.Matches(o, name));
}
