using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Operations;

/// <summary>
/// Wait-for-condition: a STEP of sub-kind <c>WaitForCondition</c> whose attempts are polls. Each poll runs the check,
/// asks the wait strategy, and either SUCCEEDs with the final state or RETRYs with the state as payload and a delay,
/// which suspends the invocation until the service makes the step ready again. State is threaded from poll to poll
/// through the checkpoint, so a crash mid-poll resumes from the last checkpointed state, not from the start.
/// </summary>
internal sealed class WaitForConditionOperation<TState> : DurableOperation<TState>
{
    private readonly Func<TState, IConditionCheckContext, CancellationToken, Task<TState>> _check;
    private readonly WaitForConditionConfig<TState> _config;
    private readonly CheckpointCodec<TState> _codec;

    public WaitForConditionOperation(DurableContext context, string id, string? name,
        Func<TState, IConditionCheckContext, CancellationToken, Task<TState>> check, WaitForConditionConfig<TState> config,
        CancellationToken cancellationToken)
        : base(context, id, name, OperationType.Step, "WaitForCondition", cancellationToken)
    {
        _check = check;
        _config = config;
        _codec = Codec(config.Serializer);
    }

    protected override Task<TState> StartAsync() => PollAsync(_config.InitialState, 1, sendStart: true);

    protected override Task<TState> ReplayAsync(Operation record)
    {
        var attempt = (record.StepDetails?.Attempt ?? 0) + 1;
        return record.Status switch
        {
            OperationStatus.Succeeded => Task.FromResult(_codec.Deserialize(record.StepDetails?.Result)),
            OperationStatus.Failed => throw FromRecord(record),
            OperationStatus.Pending when record.StepDetails?.NextAttemptTimestamp is { } due && Core.Clock.GetUtcNow() < due =>
                Suspend<TState>(TerminationReason.RetryScheduled),
            OperationStatus.Pending or OperationStatus.Ready => PollAsync(PriorState(record), attempt, sendStart: true),
            // Crashed mid-poll: resume from the last checkpointed state (the JS rule; the official .NET SDK restarts).
            OperationStatus.Started => PollAsync(PriorState(record), attempt, sendStart: false),
            _ => throw UnexpectedStatus(record),
        };
    }

    private TState PriorState(Operation record)
    {
        if (record.StepDetails?.Result is not { } text)
        {
            return _config.InitialState;
        }

        try
        {
            return _codec.Deserialize(text);
        }
        catch (Exception ex)
        {
            Context.Logger.LogWarning(ex, "Could not read the checkpointed state of {Operation}; polling from the initial state.",
                Name ?? Id);
            return _config.InitialState;
        }
    }

    private async Task<TState> PollAsync(TState state, int attempt, bool sendStart)
    {
        CancellationToken.ThrowIfCancellationRequested();
        if (sendStart)
        {
            Core.Batcher.Enqueue(Update(OperationAction.Start));
        }

        TState newState;
        using (var linked = Core.LinkShutdown(CancellationToken))
        {
            try
            {
                newState = await RunUserCodeAsync(() => _check(state, new CheckContext(Context.Logger, attempt), linked.Token),
                    UserFunctionKind.ConditionCheck, attempt).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                throw await FailAsync(ex).ConfigureAwait(false);
            }
        }

        // The state is checkpointed whatever the strategy decides. One that cannot be serialized fails the operation
        // now: polling again would run the check again to fail the same way, and the record would stay STARTED.
        var what = $"the state of wait-for-condition '{Name ?? Id}'";
        string? payload;
        try
        {
            payload = _codec.Serialize(newState, what);
        }
        catch (DurableSerializationException ex)
        {
            throw await FailAsync(ex).ConfigureAwait(false);
        }

        WaitDecision decision;
        try
        {
            decision = _config.WaitStrategy.Decide(newState, attempt);
        }
        catch (WaitForConditionException exhausted)
        {
            var message = $"Wait for condition {Name ?? Id} gave up after {attempt} attempts: {exhausted.Message}";
            var fail = Update(OperationAction.Fail);
            fail.Error = new ErrorObject
            {
                ErrorType = typeof(WaitForConditionException).FullName,
                ErrorMessage = message,
                ErrorData = payload,
            };
            await Core.CheckpointAsync(fail, CancellationToken).ConfigureAwait(false);
            throw new WaitForConditionException(message, exhausted) { AttemptsExhausted = attempt, LastState = newState };
        }
        catch (Exception ex)
        {
            // A strategy that throws anything else fails the operation too, rather than leaving it started.
            throw await FailAsync(ex).ConfigureAwait(false);
        }

        if (!decision.ShouldContinue)
        {
            TState value;
            try
            {
                value = _codec.FirstRun(newState, payload, what);
            }
            catch (DurableSerializationException ex)
            {
                throw await FailAsync(ex).ConfigureAwait(false);
            }

            var succeed = Update(OperationAction.Succeed);
            succeed.Payload = payload;
            await Core.CheckpointAsync(succeed, CancellationToken).ConfigureAwait(false);
            return value;
        }

        var retry = Update(OperationAction.Retry);
        retry.Payload = payload;
        retry.StepOptions = new StepOptions { NextAttemptDelaySeconds = RetryStrategy.ToDelaySeconds(decision.Delay) };
        await Core.CheckpointAsync(retry, CancellationToken).ConfigureAwait(false);
        return await Suspend<TState>(TerminationReason.RetryScheduled).ConfigureAwait(false);
    }

    private async Task<StepException> FailAsync(Exception ex)
    {
        var fail = Update(OperationAction.Fail);
        fail.Error = DurableErrors.ForCheckpoint(ex);
        await Core.CheckpointAsync(fail, CancellationToken).ConfigureAwait(false);
        return StepException.FromLive(ex, fail.Error.StackTrace);
    }

    private DurableExecutionException FromRecord(Operation record)
    {
        var error = record.StepDetails?.Error;
        if (error is not null && error.ErrorType == typeof(WaitForConditionException).FullName)
        {
            object? lastState = null;
            try
            {
                lastState = error.ErrorData is null ? null : _codec.Deserialize(error.ErrorData);
            }
            catch (Exception)
            {
                // The recorded state is informational; an unreadable one is reported as absent.
            }

            return new WaitForConditionException(error.ErrorMessage ?? "Wait for condition gave up")
            {
                AttemptsExhausted = record.StepDetails?.Attempt ?? 0,
                LastState = lastState,
            };
        }

        return StepException.FromRecorded(error);
    }

    private sealed class CheckContext(ILogger logger, int attemptNumber) : IConditionCheckContext
    {
        public ILogger Logger => logger;

        public int AttemptNumber => attemptNumber;
    }
}
