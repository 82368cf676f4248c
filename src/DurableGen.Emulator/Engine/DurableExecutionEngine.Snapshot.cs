using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>Operations, history, the invocation in flight and open callbacks' deadlines of one execution, read
    /// together. Throws <see cref="DurableServiceException"/> (ResourceNotFound) for an unknown ARN.</summary>
    /// <param name="durableExecutionArn">The execution.</param>
    /// <param name="includeHistory">False to leave <see cref="ExecutionSnapshot.Events"/> empty (a long history is the
    /// costly part to copy, and a reader of callbacks or operations does not need it).</param>
    public ExecutionSnapshot GetSnapshot(string durableExecutionArn, bool includeHistory = true)
    {
        return Read(durableExecutionArn, () =>
        {
            var record = LoadOrNotFound(durableExecutionArn);
            var operations = new List<Operation>(record.Operations.Count);
            var callbacks = new List<CallbackDeadlines>();
            foreach (var operation in record.Operations)
            {
                operations.Add(CopyOperation(operation));
                if (operation.Type == OperationType.Callback && operation.Status == OperationStatus.Started
                    && record.Bookkeeping.TryGetValue(operation.Id, out var bookkeeping))
                {
                    callbacks.Add(new CallbackDeadlines(operation.Id, bookkeeping.CallbackTimeoutAt, bookkeeping.HeartbeatDeadline,
                        bookkeeping.HeartbeatTimeoutSeconds is > 0 ? bookkeeping.HeartbeatTimeoutSeconds : null));
                }
            }

            var events = new List<Event>(includeHistory ? record.Events.Count : 0);
            foreach (var item in includeHistory ? record.Events : [])
            {
                events.Add(CopyEvent(item));
            }

            var active = record.ActiveInvocation is { } invocation
                ? new InvocationInFlight(invocation.Number, invocation.RequestId, invocation.StartTimestamp)
                : null;
            return new ExecutionSnapshot(operations, events, active, callbacks, Now());
        });
    }
}
