namespace DurableGen.LocalService;

/// <summary>
/// A sandbox whose process exited in a way that restarting cannot mend (<see cref="SandboxStopReason"/>): the service
/// leaves it stopped instead of restarting the process forever, and reports it to
/// <see cref="LocalServiceOptions.SandboxStopped"/> (or logs <see cref="Message"/>).
/// </summary>
/// <param name="FunctionName">The function the sandbox runs.</param>
/// <param name="Sandbox">The sandbox number (1 to the function's concurrency).</param>
/// <param name="ExitCode">The process's exit code (128 + the signal number for a signal).</param>
/// <param name="Reason">Why it is not restarted.</param>
/// <param name="Message">What happened and what to do, for people.</param>
public sealed record SandboxStop(string FunctionName, int Sandbox, int ExitCode, SandboxStopReason Reason, string Message)
{
    /// <summary>The signal that stopped the process (SIGHUP 1, SIGINT 2, SIGTERM 15), when <see cref="Reason"/> is
    /// <see cref="SandboxStopReason.Signaled"/>.</summary>
    public int? Signal => Reason == SandboxStopReason.Signaled ? ExitCode - 128 : null;
}
