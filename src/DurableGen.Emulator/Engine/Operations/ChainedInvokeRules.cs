using System;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>CHAINED_INVOKE: START creates a child execution of the target function, CANCEL stops it; the child's
    /// outcome closes the operation when it is delivered (<c>DeliverToParent</c>).</summary>
    private sealed class ChainedInvokeRules : OperationRules
    {
        public override bool Allows(OperationAction action) => action is OperationAction.Start or OperationAction.Cancel;

        public override bool AcceptsFrom(OperationAction action, OperationStatus? status) => action == OperationAction.Start
            ? status is null
            : status == OperationStatus.Started;

        public override void ValidateOptions(DurableExecutionEngine engine, OperationUpdate update)
        {
            if (update.Action != OperationAction.Start)
            {
                return;
            }

            if (string.IsNullOrEmpty(update.ChainedInvokeOptions?.FunctionName))
            {
                throw DurableServiceException.InvalidParameter(
                    $"ChainedInvokeOptions.FunctionName is required (operation {update.Id}).");
            }

            var (target, qualifier) = FunctionNames.Parse(update.ChainedInvokeOptions.FunctionName);
            engine.ResolveVersion(target, qualifier); // an unknown alias is refused before anything is applied
        }

        public override Event? Apply(DurableExecutionEngine engine, OperationChange change)
        {
            var (record, update, operation, now) = (change.Record, change.Update, change.Operation, change.Now);
            Event item;
            if (update.Action == OperationAction.Start)
            {
                var options = update.ChainedInvokeOptions!;
                var (name, qualifier) = FunctionNames.Parse(options.FunctionName);
                var child = engine.CreateExecution(name, engine.ResolveVersion(name, qualifier), engine.NewId(), update.Payload,
                    engine.Configuration(name)?.ExecutionTimeoutSeconds, now);
                child.Parent = new ParentLink(record.DurableExecutionArn, operation.Id);
                change.Effects.NewChildren.Add(child);
                operation.Status = OperationStatus.Started;
                operation.ChainedInvokeDetails = new ChainedInvokeDetails();
                Bookkeeping(record, operation.Id).ChildExecutionArn = child.DurableExecutionArn;
                item = change.NewUpdateEvent(EventType.ChainedInvokeStarted);
                item.ChainedInvokeStartedDetails = new ChainedInvokeStartedDetails
                {
                    FunctionName = options.FunctionName,
                    TenantId = options.TenantId,
                    Input = new EventPayload { Payload = update.Payload },
                    ExecutedVersion = child.Version,
                    DurableExecutionArn = child.DurableExecutionArn,
                };
                return item;
            }

            operation.Status = OperationStatus.Stopped;
            operation.EndTimestamp = now;
            item = change.NewUpdateEvent(EventType.ChainedInvokeStopped);
            item.ChainedInvokeStoppedDetails = new EventErrorDetails
            {
                Error = change.Error is null ? null : new EventError { Payload = change.Error },
            };
            if (Bookkeeping(record, operation.Id).ChildExecutionArn is { } childArn)
            {
                change.Effects.ChildrenToStop.Add(childArn);
            }

            return item;
        }

        public override bool IsPending(Operation operation) => operation.Status == OperationStatus.Started;

        /// <summary>Closes a started chained invoke with its child's outcome; false when the operation is no longer
        /// waiting for it.</summary>
        public static bool Complete(ExecutionRecord record, ChildCompletion completion, DateTimeOffset now)
        {
            var operation = FindOperation(record, completion.OperationId);
            if (operation is null || operation.Status != OperationStatus.Started)
            {
                return false;
            }

            var details = operation.ChainedInvokeDetails ??= new ChainedInvokeDetails();
            operation.EndTimestamp = now;
            Event item;
            switch (completion.Status)
            {
                case ExecutionStatus.Succeeded:
                    operation.Status = OperationStatus.Succeeded;
                    details.Result = completion.Result;
                    item = NewEvent(EventType.ChainedInvokeSucceeded, now, operation);
                    item.ChainedInvokeSucceededDetails = new EventResultDetails { Result = new EventPayload { Payload = completion.Result } };
                    break;
                case ExecutionStatus.Failed:
                    operation.Status = OperationStatus.Failed;
                    details.Error = completion.Error;
                    item = NewEvent(EventType.ChainedInvokeFailed, now, operation);
                    item.ChainedInvokeFailedDetails = new EventErrorDetails { Error = new EventError { Payload = completion.Error } };
                    break;
                case ExecutionStatus.TimedOut:
                    operation.Status = OperationStatus.TimedOut;
                    details.Error = completion.Error;
                    item = NewEvent(EventType.ChainedInvokeTimedOut, now, operation);
                    item.ChainedInvokeTimedOutDetails = new EventErrorDetails { Error = new EventError { Payload = completion.Error } };
                    break;
                default:
                    operation.Status = OperationStatus.Stopped;
                    details.Error = completion.Error;
                    item = NewEvent(EventType.ChainedInvokeStopped, now, operation);
                    item.ChainedInvokeStoppedDetails = new EventErrorDetails { Error = new EventError { Payload = completion.Error } };
                    break;
            }

            AppendEvent(record, item);
            return true;
        }
    }
}
