using System;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// Thrown by an <see cref="InProcessInvoker"/> (or any invoker) to report a Lambda-level invocation error with a precise error object
/// (for example the handler's unhandled exception type). Any other exception counts as the process dying and is
/// recorded as <see cref="DurableExecutionEngine.RuntimeExitError"/>.
/// </summary>
internal sealed class FunctionInvocationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FunctionInvocationException(ErrorObject error, Exception? innerException = null)
        : base(error?.ErrorMessage ?? "The function invocation failed.", innerException)
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    /// <summary>The error the service records on <c>InvocationCompleted</c>.</summary>
    public ErrorObject Error { get; }
}
