using System;
using System.Collections.Generic;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>WAIT: START with a duration, CANCEL while started; its timer succeeds it at the scheduled end.</summary>
    private sealed class WaitRules : OperationRules
    {
        public override bool Allows(OperationAction action) => action is OperationAction.Start or OperationAction.Cancel;

        public override bool AcceptsFrom(OperationAction action, OperationStatus? status) => action == OperationAction.Start
            ? status is null
            : status == OperationStatus.Started;

        public override void ValidateOptions(DurableExecutionEngine engine, OperationUpdate update)
        {
            if (update.Action == OperationAction.Start
                && update.WaitOptions?.WaitSeconds is not (>= 1 and <= FunctionNames.MaxDurationSeconds))
            {
                throw DurableServiceException.InvalidParameter(
                    $"WaitOptions.WaitSeconds must be between 1 and {FunctionNames.MaxDurationSeconds} (operation {update.Id}).");
            }
        }

        public override Event? Apply(DurableExecutionEngine engine, OperationChange change)
        {
            var (operation, now) = (change.Operation, change.Now);
            Event item;
            if (change.Update.Action == OperationAction.Start)
            {
                var seconds = change.Update.WaitOptions!.WaitSeconds!.Value;
                operation.Status = OperationStatus.Started;
                operation.WaitDetails = new WaitDetails { ScheduledEndTimestamp = now.AddSeconds(seconds) };
                Bookkeeping(change.Record, operation.Id).WaitSeconds = seconds;
                item = change.NewUpdateEvent(EventType.WaitStarted);
                item.WaitStartedDetails = new WaitStartedDetails
                {
                    Duration = seconds,
                    ScheduledEndTimestamp = operation.WaitDetails.ScheduledEndTimestamp,
                };
                return item;
            }

            operation.Status = OperationStatus.Cancelled;
            operation.EndTimestamp = now;
            item = change.NewUpdateEvent(EventType.WaitCancelled);
            item.WaitCancelledDetails = new EventErrorDetails
            {
                Error = change.Error is null ? null : new EventError { Payload = change.Error },
            };
            return item;
        }

        public override IEnumerable<Timer> Timers(ExecutionRecord record, Operation operation)
        {
            if (operation.Status == OperationStatus.Started && operation.WaitDetails?.ScheduledEndTimestamp is { } end)
            {
                yield return new Timer(TimerKind.WaitEnd, end, operation.Type, operation.Id);
            }
        }

        public override bool Fire(ExecutionRecord record, Operation operation, Timer timer, DateTimeOffset now)
        {
            if (timer.Kind != TimerKind.WaitEnd || operation.Status != OperationStatus.Started)
            {
                return false;
            }

            operation.Status = OperationStatus.Succeeded;
            operation.EndTimestamp = now;
            var item = NewEvent(EventType.WaitSucceeded, now, operation);
            record.Bookkeeping.TryGetValue(operation.Id, out var bookkeeping);
            item.WaitSucceededDetails = new WaitSucceededDetails { Duration = bookkeeping?.WaitSeconds };
            AppendEvent(record, item);
            return true;
        }

        public override bool IsPending(Operation operation) => operation.Status == OperationStatus.Started;
    }
}
