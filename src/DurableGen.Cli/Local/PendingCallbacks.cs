using System.Collections.Generic;
using System.Linq;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;

namespace DurableGen.Cli.Local;

/// <summary>A callback an execution waits for: its id and the name the workflow gave it.</summary>
internal sealed record PendingCallback(string Id, string? Name);

/// <summary>
/// What a local run needs to tell a person when an execution can only go on once someone answers a callback: the
/// execution is suspended (no invocation in flight or due), no wait, step retry or chained invoke is under way, and
/// callbacks are started and not completed.
/// </summary>
internal static class PendingCallbacks
{
    /// <summary>The callbacks <paramref name="durableExecutionArn"/> waits for when nothing else can happen; empty
    /// otherwise.</summary>
    public static IReadOnlyList<PendingCallback> Blocking(DurableExecutionEngine engine, string durableExecutionArn)
    {
        var state = engine.GetSchedulingState(durableExecutionArn);
        if (state.Status != ExecutionStatus.Running || state.IsRunnable || state.HasActiveInvocation)
        {
            return [];
        }

        var operations = engine.GetOperations(durableExecutionArn);
        if (operations.Any(o => o.Type is OperationType.Wait or OperationType.Step or OperationType.ChainedInvoke
                                && !Operation.IsTerminal(o.Status)))
        {
            return [];
        }

        return operations
            .Where(o => o.Type == OperationType.Callback && o.Status == OperationStatus.Started
                                                         && !string.IsNullOrEmpty(o.CallbackDetails?.CallbackId))
            .Select(o => new PendingCallback(o.CallbackDetails!.CallbackId!, o.Name))
            .ToList();
    }
}
