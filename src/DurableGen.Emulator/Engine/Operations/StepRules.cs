using System;
using System.Collections.Generic;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>STEP: START, then SUCCEED, FAIL or RETRY (PENDING until the retry timer makes it READY, no event for
    /// that: protocol §4.6).</summary>
    private sealed class StepRules : OperationRules
    {
        public override bool Allows(OperationAction action) =>
            action is OperationAction.Start or OperationAction.Succeed or OperationAction.Fail or OperationAction.Retry;

        public override bool AcceptsFrom(OperationAction action, OperationStatus? status) => action == OperationAction.Start
            ? status is null or OperationStatus.Ready
            : status is null or OperationStatus.Started or OperationStatus.Ready;

        public override void ValidateOptions(DurableExecutionEngine engine, OperationUpdate update)
        {
            if (update.Action != OperationAction.Retry)
            {
                return;
            }

            if (update.StepOptions is null)
            {
                throw DurableServiceException.InvalidParameter($"StepOptions is required for a STEP RETRY (operation {update.Id}).");
            }

            if (update.StepOptions.NextAttemptDelaySeconds is not (>= 1 and <= FunctionNames.MaxDurationSeconds))
            {
                throw DurableServiceException.InvalidParameter(
                    $"StepOptions.NextAttemptDelaySeconds must be between 1 and {FunctionNames.MaxDurationSeconds} (operation {update.Id}).");
            }

            if (update.Error is not null && update.Payload is not null)
            {
                throw DurableServiceException.InvalidParameter(
                    $"A STEP RETRY cannot carry both Error and Payload (operation {update.Id}).");
            }
        }

        public override Event? Apply(DurableExecutionEngine engine, OperationChange change)
        {
            var (update, operation, error, now) = (change.Update, change.Operation, change.Error, change.Now);
            Event item;
            if (update.Action == OperationAction.Start)
            {
                operation.Status = OperationStatus.Started;
                operation.StepDetails ??= new StepDetails();
                operation.StepDetails.NextAttemptTimestamp = null;
                item = change.NewUpdateEvent(EventType.StepStarted);
                item.StepStartedDetails = new EmptyEventDetails();
                return item;
            }

            var details = operation.StepDetails ??= new StepDetails();
            details.Attempt = (details.Attempt ?? 0) + 1;
            var retry = new RetryDetails { CurrentAttempt = details.Attempt };
            if (update.Action == OperationAction.Retry)
            {
                var delay = update.StepOptions!.NextAttemptDelaySeconds!.Value;
                operation.Status = OperationStatus.Pending;
                details.NextAttemptTimestamp = now.AddSeconds(delay);
                details.Result = update.Payload;
                details.Error = error;
                retry.NextAttemptDelaySeconds = delay;
            }
            else
            {
                operation.Status = update.Action == OperationAction.Succeed ? OperationStatus.Succeeded : OperationStatus.Failed;
                operation.EndTimestamp = now;
                details.NextAttemptTimestamp = null;
                details.Result = update.Action == OperationAction.Succeed ? update.Payload : null;
                details.Error = update.Action == OperationAction.Fail ? error : null;
            }

            if (update.Action == OperationAction.Fail || (update.Action == OperationAction.Retry && error is not null))
            {
                item = change.NewUpdateEvent(EventType.StepFailed);
                item.StepFailedDetails = new EventErrorDetails { Error = new EventError { Payload = error }, RetryDetails = retry };
            }
            else
            {
                item = change.NewUpdateEvent(EventType.StepSucceeded);
                item.StepSucceededDetails = new EventResultDetails
                {
                    // The service marks step and context results as not truncated (step 1-18 asserts it).
                    Result = new EventPayload { Payload = update.Payload, Truncated = false },
                    RetryDetails = retry,
                };
            }

            return item;
        }

        public override IEnumerable<Timer> Timers(ExecutionRecord record, Operation operation)
        {
            if (operation.Status == OperationStatus.Pending && operation.StepDetails?.NextAttemptTimestamp is { } next)
            {
                yield return new Timer(TimerKind.StepRetry, next, operation.Type, operation.Id);
            }
        }

        public override bool Fire(ExecutionRecord record, Operation operation, Timer timer, DateTimeOffset now)
        {
            if (timer.Kind != TimerKind.StepRetry || operation.Status != OperationStatus.Pending)
            {
                return false;
            }

            operation.Status = OperationStatus.Ready; // no event (protocol §4.6)
            return true;
        }

        public override bool IsPending(Operation operation) =>
            operation.Status is OperationStatus.Pending or OperationStatus.Ready;
    }
}
