using System;

namespace DurableGen.Conformance;

/// <summary>Thrown inside the handler by <see cref="IConformanceEnv.CrashProcessAsync"/>: the process is gone.</summary>
public sealed class SimulatedProcessExitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SimulatedProcessExitException() : base("The function process exited (simulated crash).") { }

    /// <summary>Creates the exception with a message.</summary>
    public SimulatedProcessExitException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SimulatedProcessExitException(string message, Exception innerException) : base(message, innerException) { }
}
