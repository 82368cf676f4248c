using System;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// The simulated death of the function process, by a planned checkpoint fault or by the handler asking for it
/// (<see cref="HostedInvocation.Crash"/>). From then on the invocation cannot reach the service, and the host reports
/// it as <c>Runtime.ExitError</c>.
/// </summary>
public sealed class SimulatedCrashException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SimulatedCrashException() : base("The function process was killed by fault injection.") { }

    /// <summary>Creates the exception with a message.</summary>
    public SimulatedCrashException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public SimulatedCrashException(string message, Exception innerException) : base(message, innerException) { }
}
