using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Emulator;

/// <summary>
/// Drives an engine in process: begins runnable invocations one at a time, runs them through an
/// <see cref="IFunctionInvoker"/>, reports their outcome, and (with time skipping) moves a <see cref="VirtualClock"/>
/// to the next timer when nothing is runnable.
/// </summary>
public sealed class ExecutionScheduler
{
    private readonly DurableExecutionEngine _engine;
    private readonly IFunctionInvoker _invoker;
    private readonly VirtualClock? _clock;

    /// <summary>Creates a scheduler. Time can only be skipped when <paramref name="clock"/> is given (and is the
    /// engine's clock).</summary>
    public ExecutionScheduler(DurableExecutionEngine engine, IFunctionInvoker invoker, VirtualClock? clock = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _invoker = invoker ?? throw new ArgumentNullException(nameof(invoker));
        _clock = clock;
    }

    /// <summary>Guard against runaway executions: most invocations one run call may start (default 1000).</summary>
    public int MaxInvocations { get; set; } = 1000;

    /// <summary>Invocations run by this scheduler so far.</summary>
    public int InvocationsRun { get; private set; }

    /// <summary>
    /// Fires due timers, then runs one runnable invocation if there is one; returns whether one ran. An invoker that
    /// throws <see cref="FunctionInvocationException"/> reports that error; any other exception is a process exit.
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        _engine.FireDueTimers();
        var invocation = _engine.TryBeginInvocation();
        if (invocation is null)
        {
            return false;
        }

        InvocationsRun++;
        DurableExecutionInvocationOutput output;
        try
        {
            output = await _invoker.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _engine.FailInvocation(invocation.DurableExecutionArn, invocation.RequestId,
                new ErrorObject { ErrorType = DurableExecutionEngine.RuntimeExitError, ErrorMessage = "Invocation cancelled" });
            throw;
        }
        catch (FunctionInvocationException failure)
        {
            _engine.FailInvocation(invocation.DurableExecutionArn, invocation.RequestId, failure.Error);
            return true;
        }
        catch (Exception exception)
        {
            _engine.FailInvocation(invocation.DurableExecutionArn, invocation.RequestId, new ErrorObject
            {
                ErrorType = DurableExecutionEngine.RuntimeExitError,
                ErrorMessage = $"{exception.GetType().FullName}: {exception.Message}",
            });
            return true;
        }

        _engine.CompleteInvocation(invocation.DurableExecutionArn, invocation.RequestId, output);
        return true;
    }

    /// <summary>Runs until nothing is runnable; with <paramref name="skipTime"/> also jumps the clock to each next timer
    /// until none is left.</summary>
    public Task<SchedulerStopReason> RunUntilIdleAsync(bool skipTime, CancellationToken cancellationToken = default) =>
        RunUntilAsync(static () => false, skipTime, cancellationToken);

    /// <summary>Runs until the execution is closed or idle (waiting on something external, such as a callback
    /// without a timer).</summary>
    public Task<SchedulerStopReason> RunUntilClosedAsync(string durableExecutionArn, bool skipTime,
        CancellationToken cancellationToken = default) =>
        RunUntilAsync(() => _engine.GetSchedulingState(durableExecutionArn).Status != ExecutionStatus.Running, skipTime,
            cancellationToken);

    /// <summary>
    /// Runs until <paramref name="condition"/> holds (checked before every step), nothing is left to do, or the
    /// invocation guard is hit. Each step: run one runnable invocation; else, with <paramref name="skipTime"/>, move the
    /// clock to <see cref="DurableExecutionEngine.NextDueTime"/> and fire the timers; else stop.
    /// </summary>
    public async Task<SchedulerStopReason> RunUntilAsync(Func<bool> condition, bool skipTime,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (skipTime && _clock is null)
        {
            throw new InvalidOperationException("Skipping time needs the VirtualClock the engine reads.");
        }

        var started = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (condition())
            {
                return SchedulerStopReason.ConditionMet;
            }

            _engine.FireDueTimers();
            if (_engine.HasRunnableExecution)
            {
                if (started >= MaxInvocations)
                {
                    return SchedulerStopReason.MaxInvocationsReached;
                }

                if (await RunOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    started++;
                }

                continue;
            }

            if (skipTime && _engine.NextDueTime is { } due)
            {
                _clock!.SetUtcNow(due);
                if (_engine.FireDueTimers() == 0)
                {
                    return SchedulerStopReason.Idle; // defensive: a due time that fires nothing must not spin
                }

                continue;
            }

            return SchedulerStopReason.Idle;
        }
    }
}
