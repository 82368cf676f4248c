using System;
using System.Threading;
using DurableGen.Protocol;

namespace DurableGen.Testing;

/// <summary>What a planned fault does to one checkpoint request.</summary>
public enum CheckpointFault
{
    /// <summary>No fault.</summary>
    None,

    /// <summary>The process dies before the request reaches the service: nothing in it is applied.</summary>
    CrashBeforeSending,

    /// <summary>The service applies the request, then the process dies before reading the answer.</summary>
    CrashAfterApplying,
}

/// <summary>Identifies one checkpoint request of one invocation, for fault planning.</summary>
/// <param name="InvocationNumber">1-based number of the invocation within the execution.</param>
/// <param name="CheckpointNumber">1-based number of the checkpoint request within the invocation.</param>
/// <param name="Request">The request about to be sent.</param>
public sealed record CheckpointFaultContext(int InvocationNumber, int CheckpointNumber, CheckpointDurableExecutionRequest Request);

/// <summary>The simulated death of the function process; the host reports it as <c>Runtime.ExitError</c>.</summary>
public sealed class SimulatedCrashException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SimulatedCrashException() : base("The function process was killed by fault injection.") { }

    /// <summary>Creates the exception with a message.</summary>
    public SimulatedCrashException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public SimulatedCrashException(string message, Exception innerException) : base(message, innerException) { }
}

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
