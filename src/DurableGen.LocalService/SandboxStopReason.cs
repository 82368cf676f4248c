namespace DurableGen.LocalService;

/// <summary>Why the service stopped restarting a sandbox's process (see <see cref="SandboxStop"/>).</summary>
public enum SandboxStopReason
{
    /// <summary>The process exited with code 0 without ever asking for an invocation
    /// (<c>GET /runtime/invocation/next</c>): its program does not run a Lambda runtime loop, so starting it again
    /// would only do the same.</summary>
    ExitedWithoutAskingForWork,

    /// <summary>The process was stopped by SIGINT, SIGTERM or SIGHUP that the service did not send: whoever sent it
    /// (Ctrl+C in a terminal, <c>kill</c>, a container or service manager stopping the process group) is shutting it
    /// down.</summary>
    Signaled,
}
