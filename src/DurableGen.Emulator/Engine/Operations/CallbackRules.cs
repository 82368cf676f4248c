using System;
using System.Collections.Generic;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Tokens;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>CALLBACK: START (issues the callback id), CANCEL while started (no event: protocol §4.5); closed from
    /// outside by a success or failure, kept open by heartbeats, timed out by its timeout or heartbeat timer
    /// (protocol §6.3).</summary>
    private sealed class CallbackRules : OperationRules
    {
        public override bool Allows(OperationAction action) => action is OperationAction.Start or OperationAction.Cancel;

        public override bool AcceptsFrom(OperationAction action, OperationStatus? status) => action == OperationAction.Start
            ? status is null
            : status == OperationStatus.Started;

        public override void ValidateOptions(DurableExecutionEngine engine, OperationUpdate update)
        {
            if (update.Action == OperationAction.Start
                && update.CallbackOptions is { TimeoutSeconds: < 0 } or { HeartbeatTimeoutSeconds: < 0 })
            {
                throw DurableServiceException.InvalidParameter(
                    $"CallbackOptions timeouts must not be negative (operation {update.Id}).");
            }
        }

        public override Event? Apply(DurableExecutionEngine engine, OperationChange change)
        {
            var (record, operation, now) = (change.Record, change.Operation, change.Now);
            var bookkeeping = Bookkeeping(record, operation.Id);
            if (change.Update.Action != OperationAction.Start)
            {
                operation.Status = OperationStatus.Cancelled;
                operation.EndTimestamp = now;
                bookkeeping.CallbackTimeoutAt = null;
                bookkeeping.HeartbeatDeadline = null;
                return null; // no CallbackCancelled event type exists (protocol §4.5)
            }

            var timeout = change.Update.CallbackOptions?.TimeoutSeconds ?? 0;
            var heartbeat = change.Update.CallbackOptions?.HeartbeatTimeoutSeconds ?? 0;
            var callbackId = CallbackIdCodec.Seal(engine._store.CallbackKey, record.DurableExecutionArn, operation.Id, engine.NewId());
            operation.Status = OperationStatus.Started;
            operation.CallbackDetails = new CallbackDetails { CallbackId = callbackId };
            bookkeeping.CallbackTimeoutSeconds = timeout;
            bookkeeping.HeartbeatTimeoutSeconds = heartbeat;
            bookkeeping.CallbackTimeoutAt = timeout > 0 ? now.AddSeconds(timeout) : null;
            bookkeeping.HeartbeatDeadline = heartbeat > 0 ? now.AddSeconds(heartbeat) : null;
            var item = change.NewUpdateEvent(EventType.CallbackStarted);
            item.CallbackStartedDetails = new CallbackStartedDetails
            {
                CallbackId = callbackId,
                Timeout = timeout > 0 ? timeout : null,
                HeartbeatTimeout = heartbeat > 0 ? heartbeat : null,
            };
            return item;
        }

        public override IEnumerable<Timer> Timers(ExecutionRecord record, Operation operation)
        {
            if (operation.Status != OperationStatus.Started || !record.Bookkeeping.TryGetValue(operation.Id, out var bookkeeping))
            {
                yield break;
            }

            if (bookkeeping.CallbackTimeoutAt is { } timeout)
            {
                yield return new Timer(TimerKind.CallbackTimeout, timeout, operation.Type, operation.Id);
            }

            if (bookkeeping.HeartbeatDeadline is { } heartbeat)
            {
                yield return new Timer(TimerKind.CallbackHeartbeat, heartbeat, operation.Type, operation.Id);
            }
        }

        public override bool Fire(ExecutionRecord record, Operation operation, Timer timer, DateTimeOffset now)
        {
            if (timer.Kind is not (TimerKind.CallbackTimeout or TimerKind.CallbackHeartbeat)
                || operation.Status != OperationStatus.Started)
            {
                return false;
            }

            var heartbeat = timer.Kind == TimerKind.CallbackHeartbeat;
            var error = new ErrorObject
            {
                ErrorType = heartbeat ? CallbackHeartbeatErrorType : CallbackTimeoutErrorType,
                ErrorMessage = heartbeat ? "Callback timed out on heartbeat" : "Callback timed out",
            };
            operation.Status = OperationStatus.TimedOut;
            operation.EndTimestamp = now;
            (operation.CallbackDetails ??= new CallbackDetails()).Error = error;
            ClearTimers(record, operation.Id);
            var item = NewEvent(EventType.CallbackTimedOut, now, operation);
            item.CallbackTimedOutDetails = new EventErrorDetails { Error = new EventError { Payload = CopyError(error) } };
            AppendEvent(record, item);
            return true;
        }

        public override bool IsPending(Operation operation) => operation.Status == OperationStatus.Started;

        /// <summary>Completes a started callback with a result sent from outside (empty text = no result).</summary>
        public static void Succeed(ExecutionRecord record, Operation operation, string? result, DateTimeOffset now)
        {
            var value = string.IsNullOrEmpty(result) ? null : result;
            operation.Status = OperationStatus.Succeeded;
            operation.EndTimestamp = now;
            operation.CallbackDetails!.Result = value;
            ClearTimers(record, operation.Id);
            var item = NewEvent(EventType.CallbackSucceeded, now, operation);
            item.CallbackSucceededDetails = new EventResultDetails { Result = new EventPayload { Payload = value } };
            AppendEvent(record, item);
        }

        /// <summary>Fails a started callback with an error sent from outside (null = no error fields).</summary>
        public static void Fail(ExecutionRecord record, Operation operation, ErrorObject? error, DateTimeOffset now)
        {
            var stored = CopyError(error);
            operation.Status = OperationStatus.Failed;
            operation.EndTimestamp = now;
            operation.CallbackDetails!.Error = stored;
            ClearTimers(record, operation.Id);
            var item = NewEvent(EventType.CallbackFailed, now, operation);
            item.CallbackFailedDetails = new EventErrorDetails { Error = new EventError { Payload = CopyError(stored) } };
            AppendEvent(record, item);
        }

        /// <summary>Restarts the heartbeat timer; false when the callback has no heartbeat timeout (nothing to
        /// do).</summary>
        public static bool Heartbeat(ExecutionRecord record, Operation operation, DateTimeOffset now)
        {
            if (record.ChangeBookkeeping(operation.Id, create: false) is not { HeartbeatTimeoutSeconds: > 0 } bookkeeping)
            {
                return false;
            }

            bookkeeping.HeartbeatDeadline = now.AddSeconds(bookkeeping.HeartbeatTimeoutSeconds.Value);
            return true;
        }

        private static void ClearTimers(ExecutionRecord record, string operationId)
        {
            if (record.ChangeBookkeeping(operationId, create: false) is { } bookkeeping)
            {
                bookkeeping.CallbackTimeoutAt = null;
                bookkeeping.HeartbeatDeadline = null;
            }
        }
    }
}
