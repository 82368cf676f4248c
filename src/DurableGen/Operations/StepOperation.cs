using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Operations;

/// <summary>
/// A step: runs the body once per attempt, checkpoints the result, and on failure asks the retry strategy whether to
/// schedule another attempt (RETRY, then suspend) or give up (FAIL, then <see cref="StepException"/>). A result that
/// cannot be serialized fails the step at once (<see cref="DurableSerializationException"/>), never retried.
/// </summary>
internal sealed class StepOperation<T> : DurableOperation<T>
{
    internal const string StepSubType = "Step";

    private readonly Func<IStepContext, CancellationToken, Task<T>> _func;
    private readonly IRetryStrategy _retryStrategy;
    private readonly StepSemantics _semantics;
    private readonly CheckpointCodec<T> _codec;

    public StepOperation(DurableContext context, string id, string? name, Func<IStepContext, CancellationToken, Task<T>> func,
        StepConfig? config, CancellationToken cancellationToken)
        : base(context, id, name, OperationType.Step, StepSubType, cancellationToken)
    {
        _func = func;
        _retryStrategy = config?.RetryStrategy ?? RetryStrategy.Default;
        _semantics = config?.Semantics ?? StepSemantics.AtLeastOncePerRetry;
        _codec = Codec(TypedConfig.As<StepConfig<T>>(config, typeof(T))?.Serializer);
    }

    protected override Task<T> StartAsync() => RunAttemptAsync(1, sendStart: true);

    protected override Task<T> ReplayAsync(Operation record)
    {
        var attempt = (record.StepDetails?.Attempt ?? 0) + 1;
        switch (record.Status)
        {
            case OperationStatus.Succeeded:
                return Task.FromResult(_codec.Deserialize(record.StepDetails?.Result));
            case OperationStatus.Failed:
                throw StepException.FromRecorded(record.StepDetails?.Error);
            case OperationStatus.Pending when record.StepDetails?.NextAttemptTimestamp is { } due && Core.Clock.GetUtcNow() < due:
                return Suspend<T>(TerminationReason.RetryScheduled);
            case OperationStatus.Pending:
            case OperationStatus.Ready:
                return RunAttemptAsync(attempt, sendStart: true);
            case OperationStatus.Started when _semantics == StepSemantics.AtLeastOncePerRetry:
                // The process died mid-attempt: run the same attempt again; its START is already recorded.
                return RunAttemptAsync(attempt, sendStart: false);
            case OperationStatus.Started:
                // At most once: the body may have run, so it must not run again. The attempt counts as failed.
                var previous = record.StepDetails?.Error;
                var interrupted = new StepInterruptedException(previous?.ErrorMessage
                    ?? $"Step {Name ?? Id} was interrupted before it finished and runs at most once per attempt.")
                {
                    ErrorType = previous?.ErrorType,
                };
                return HandleFailureAsync(interrupted, attempt);
            default:
                throw UnexpectedStatus(record);
        }
    }

    private async Task<T> RunAttemptAsync(int attempt, bool sendStart)
    {
        CancellationToken.ThrowIfCancellationRequested();

        // At least once, the START is not waited for; it is queued once the body's synchronous part has run. A body
        // that finished by then (the common case) sends it in the SUCCEED's (or RETRY's, FAIL's) request: one request
        // per step, whatever the consumer thread's timing. A body still running gets it sent at once, as before.
        OperationUpdate? start = null;
        if (sendStart)
        {
            if (_semantics == StepSemantics.AtMostOncePerRetry)
            {
                await Core.CheckpointAsync(Update(OperationAction.Start), CancellationToken).ConfigureAwait(false);
            }
            else
            {
                start = Update(OperationAction.Start);
            }
        }

        using var linked = Core.LinkShutdown(CancellationToken);
        var stepContext = new StepContext(Context.Logger, attempt, Id);
        T result;
        try
        {
            using (Context.Logger.BeginScope(new Dictionary<string, object>
                   {
                       ["operationId"] = Id, ["operationName"] = Name ?? "", ["attempt"] = attempt,
                   }))
            {
                var running = RunUserCodeAsync(() => _func(stepContext, linked.Token), UserFunctionKind.StepAttempt, attempt);
                if (start is not null && !running.IsCompleted)
                {
                    Core.Batcher.Enqueue(start);
                    start = null;
                }

                result = await running.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            if (start is not null)
            {
                Core.Batcher.Enqueue(start);
            }

            throw;
        }
        catch (Exception ex)
        {
            return await HandleFailureAsync(ex, attempt, start).ConfigureAwait(false);
        }

        string? payload;
        try
        {
            (payload, result) = _codec.Checkpoint(result, $"the result of step '{Name ?? Id}'");
        }
        catch (DurableSerializationException ex)
        {
            // The body succeeded; its result's type cannot be serialized, and never will be. Retrying would run the
            // body again (charging a card twice) to fail the same way: fail the step now, whatever its retry strategy.
            return await FailAsync(ex, start).ConfigureAwait(false);
        }

        var succeed = Update(OperationAction.Succeed);
        succeed.Payload = payload;
        await Checkpoint(start, succeed).ConfigureAwait(false);
        return result;
    }

    /// <summary>Sends <paramref name="update"/> and waits, with the deferred START, if any, in the same request.</summary>
    private Task Checkpoint(OperationUpdate? start, OperationUpdate update) => start is null
        ? Core.CheckpointAsync(update, CancellationToken)
        : Core.Batcher.EnqueueAsync(start, update, CancellationToken);

    private async Task<T> HandleFailureAsync(Exception exception, int attempt, OperationUpdate? start = null)
    {
        var decision = _retryStrategy.ShouldRetry(exception, attempt);
        if (decision.ShouldRetry)
        {
            if (decision.Delay < TimeSpan.FromSeconds(1))
            {
                Context.Logger.LogWarning("Retry delay {Delay} of step {Step} is under one second; using one second.",
                    decision.Delay, Name ?? Id);
            }

            var retry = Update(OperationAction.Retry);
            retry.Error = DurableErrors.ForCheckpoint(exception);
            retry.StepOptions = new StepOptions { NextAttemptDelaySeconds = RetryStrategy.ToDelaySeconds(decision.Delay) };
            await Checkpoint(start, retry).ConfigureAwait(false);
            return await Suspend<T>(TerminationReason.RetryScheduled).ConfigureAwait(false);
        }

        return await FailAsync(exception, start).ConfigureAwait(false);
    }

    private async Task<T> FailAsync(Exception exception, OperationUpdate? start = null)
    {
        var fail = Update(OperationAction.Fail);
        fail.Error = DurableErrors.ForCheckpoint(exception);
        await Checkpoint(start, fail).ConfigureAwait(false);
        throw StepException.FromLive(exception, fail.Error.StackTrace);
    }

    private sealed class StepContext(ILogger logger, int attemptNumber, string operationId) : IStepContext
    {
        public ILogger Logger => logger;

        public int AttemptNumber => attemptNumber;

        public string OperationId => operationId;
    }
}
