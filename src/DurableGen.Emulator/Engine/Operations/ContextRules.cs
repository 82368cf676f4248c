using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>CONTEXT (a child context): START, then SUCCEED or FAIL; no timers. Whether its children are replayed
    /// once it closed is <see cref="ContextDetails.ReplayChildren"/> (see <c>VisibleOperations</c>).</summary>
    private sealed class ContextRules : OperationRules
    {
        public override bool Allows(OperationAction action) =>
            action is OperationAction.Start or OperationAction.Succeed or OperationAction.Fail;

        public override bool AcceptsFrom(OperationAction action, OperationStatus? status) => action == OperationAction.Start
            ? status is null
            : status is null or OperationStatus.Started;

        public override Event? Apply(DurableExecutionEngine engine, OperationChange change)
        {
            var (update, operation, now) = (change.Update, change.Operation, change.Now);
            Event item;
            if (update.Action == OperationAction.Start)
            {
                operation.Status = OperationStatus.Started;
                operation.ContextDetails = new ContextDetails { ReplayChildren = update.ContextOptions?.ReplayChildren };
                item = change.NewUpdateEvent(EventType.ContextStarted);
                item.ContextStartedDetails = new EmptyEventDetails();
                return item;
            }

            var details = operation.ContextDetails ??= new ContextDetails();
            if (update.ContextOptions?.ReplayChildren is { } replayChildren)
            {
                details.ReplayChildren = replayChildren;
            }

            operation.EndTimestamp = now;
            if (update.Action == OperationAction.Succeed)
            {
                operation.Status = OperationStatus.Succeeded;
                details.Result = update.Payload;
                item = change.NewUpdateEvent(EventType.ContextSucceeded);
                item.ContextSucceededDetails = new EventResultDetails
                {
                    Result = new EventPayload { Payload = update.Payload, Truncated = false },
                };
            }
            else
            {
                operation.Status = OperationStatus.Failed;
                details.Error = change.Error;
                item = change.NewUpdateEvent(EventType.ContextFailed);
                item.ContextFailedDetails = new EventErrorDetails { Error = new EventError { Payload = change.Error } };
            }

            return item;
        }
    }
}
