using System;
using System.Collections.Generic;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>
    /// Everything the service knows about one operation type, in one place (AWS's checkpoint server has a module per
    /// operation type): which actions it takes and from which states, what its options must hold (validate), the
    /// record and history event an update produces (apply), the timers it keeps and what firing one does. The API
    /// files (Checkpoint, Timers, Callbacks, Invocations) only orchestrate: load, dispatch here, persist.
    /// </summary>
    private abstract class OperationRules
    {
        /// <summary>Whether the type takes <paramref name="action"/> at all (§4.4: "Invalid action for the given
        /// operation type").</summary>
        public abstract bool Allows(OperationAction action);

        /// <summary>Whether <paramref name="action"/> may apply to an operation in <paramref name="status"/> (null:
        /// the operation does not exist yet).</summary>
        public abstract bool AcceptsFrom(OperationAction action, OperationStatus? status);

        /// <summary>Refuses options the action needs and lacks, or carries out of range.</summary>
        public virtual void ValidateOptions(DurableExecutionEngine engine, OperationUpdate update)
        {
        }

        /// <summary>Applies a validated update to its operation; returns the history event to record, or null when
        /// the update records none.</summary>
        public abstract Event? Apply(DurableExecutionEngine engine, OperationChange change);

        /// <summary>The pending timers of one open operation of this type.</summary>
        public virtual IEnumerable<Timer> Timers(ExecutionRecord record, Operation operation)
        {
            yield break;
        }

        /// <summary>Applies a due timer of <paramref name="operation"/> if it still holds; returns whether anything
        /// changed.</summary>
        public virtual bool Fire(ExecutionRecord record, Operation operation, Timer timer, DateTimeOffset now) => false;

        /// <summary>Whether the operation still waits for the service (a function may return PENDING for it).</summary>
        public virtual bool IsPending(Operation operation) => false;
    }

    /// <summary>One validated update being applied: the execution, the invocation that sent it, the operation it
    /// changes (created when new) and where side effects on other executions are collected.</summary>
    private sealed record OperationChange(ExecutionRecord Record, ActiveInvocation Active, OperationUpdate Update,
        Operation Operation, ErrorObject? Error, DateTimeOffset Now, CheckpointEffects Effects)
    {
        public Event NewUpdateEvent(EventType type) =>
            NewEvent(type, Now, Update.Id, Update.Name, Update.SubType, Update.ParentId);
    }

    private static readonly OperationRules ExecutionKind = new ExecutionRules();
    private static readonly OperationRules StepKind = new StepRules();
    private static readonly OperationRules ContextKind = new ContextRules();
    private static readonly OperationRules WaitKind = new WaitRules();
    private static readonly OperationRules CallbackKind = new CallbackRules();
    private static readonly OperationRules ChainedInvokeKind = new ChainedInvokeRules();

    /// <summary>The rules of an operation type (null for a type the service does not know).</summary>
    private static OperationRules? RulesFor(OperationType type) => type switch
    {
        OperationType.Execution => ExecutionKind,
        OperationType.Step => StepKind,
        OperationType.Context => ContextKind,
        OperationType.Wait => WaitKind,
        OperationType.Callback => CallbackKind,
        OperationType.ChainedInvoke => ChainedInvokeKind,
        _ => null,
    };
}
