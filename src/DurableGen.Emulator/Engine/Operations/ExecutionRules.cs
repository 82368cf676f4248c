using System;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>EXECUTION: closed by the function's SUCCEED or FAIL update (or its output), a stop, the execution
    /// timeout or too many failed invocations; the terminal event waits for the active invocation's
    /// <c>InvocationCompleted</c> so that it is always the last event.</summary>
    private sealed class ExecutionRules : OperationRules
    {
        public override bool Allows(OperationAction action) => action is OperationAction.Succeed or OperationAction.Fail;

        public override bool AcceptsFrom(OperationAction action, OperationStatus? status) => true; // the execution is open

        public override Event? Apply(DurableExecutionEngine engine, OperationChange change)
        {
            if (change.Update.Action == OperationAction.Succeed)
            {
                Close(change.Record, ExecutionStatus.Succeeded, change.Update.Payload, null, change.Now);
            }
            else
            {
                Close(change.Record, ExecutionStatus.Failed, null, change.Error, change.Now);
            }

            return null; // Close records the terminal event itself, possibly deferred
        }

        /// <summary>The execution timeout: last among an execution's timers, so at equal due times operation timers
        /// win.</summary>
        public static Timer TimeoutTimer(ExecutionRecord record) =>
            new(TimerKind.ExecutionTimeout, record.TimeoutAt, OperationType.Execution, null);

        public static void FireTimeout(ExecutionRecord record, DateTimeOffset now) =>
            Close(record, ExecutionStatus.TimedOut, null, new ErrorObject
            {
                ErrorType = ExecutionTimeoutErrorType,
                ErrorMessage = $"Execution timed out after {record.ExecutionTimeoutSeconds} seconds",
            }, now);

        /// <summary>Closes the execution with its terminal status, result or error and terminal event.</summary>
        public static void Close(ExecutionRecord record, ExecutionStatus status, string? result, ErrorObject? error,
            DateTimeOffset now)
        {
            record.Status = status;
            record.EndTimestamp = now;
            record.Result = status == ExecutionStatus.Succeeded ? result : null;
            record.Error = status == ExecutionStatus.Succeeded ? null : error;
            record.Runnable = false;
            record.PendingChildCompletions.Clear();

            var operation = ExecutionOperation(record);
            operation.Status = status switch
            {
                ExecutionStatus.Succeeded => OperationStatus.Succeeded,
                ExecutionStatus.Failed => OperationStatus.Failed,
                ExecutionStatus.TimedOut => OperationStatus.TimedOut,
                _ => OperationStatus.Stopped,
            };
            operation.EndTimestamp = now;

            var type = status switch
            {
                ExecutionStatus.Succeeded => EventType.ExecutionSucceeded,
                ExecutionStatus.Failed => EventType.ExecutionFailed,
                ExecutionStatus.TimedOut => EventType.ExecutionTimedOut,
                _ => EventType.ExecutionStopped,
            };
            var terminal = NewEvent(type, now, operation.Id, operation.Name, null, null);
            switch (type)
            {
                case EventType.ExecutionSucceeded:
                    terminal.ExecutionSucceededDetails = new EventResultDetails { Result = new EventPayload { Payload = result } };
                    break;
                case EventType.ExecutionFailed:
                    terminal.ExecutionFailedDetails = new EventErrorDetails { Error = new EventError { Payload = error } };
                    break;
                case EventType.ExecutionTimedOut:
                    terminal.ExecutionTimedOutDetails = new EventErrorDetails { Error = new EventError { Payload = error } };
                    break;
                default:
                    terminal.ExecutionStoppedDetails = new EventErrorDetails { Error = new EventError { Payload = error } };
                    break;
            }

            if (record.ActiveInvocation is null)
            {
                AppendEvent(record, terminal);
            }
            else
            {
                record.DeferredTerminalEvent = terminal;
            }
        }
    }
}
