using System;
using System.Threading;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>The fault plan of one invocation: once it crashes, every later call fails too, as in a dead process.</summary>
internal sealed class InvocationFaults(int invocationNumber, Func<CheckpointFaultContext, CheckpointFault>? plan)
{
    private int _checkpoints;
    private int _crashed;

    public bool HasCrashed => Volatile.Read(ref _crashed) == 1;

    public CheckpointFault BeforeCheckpoint(CheckpointDurableExecutionRequest request)
    {
        if (HasCrashed)
        {
            return CheckpointFault.CrashBeforeSending;
        }

        var number = Interlocked.Increment(ref _checkpoints);
        return plan?.Invoke(new CheckpointFaultContext(invocationNumber, number, request)) ?? CheckpointFault.None;
    }

    public SimulatedCrashException Crash()
    {
        Volatile.Write(ref _crashed, 1);
        return new SimulatedCrashException();
    }
}
