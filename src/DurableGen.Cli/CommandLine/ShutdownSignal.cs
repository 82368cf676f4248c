using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace DurableGen.Cli.CommandLine;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM (<c>kill</c>, a container or service manager) as one cancellation: the first one cancels
/// <see cref="Token"/>, and the command stops what it started (function processes, the service, the database) and
/// exits; a second one ends the process at once, for a shutdown that hangs. A signal within
/// <see cref="SameStopWindow"/> of the first is the same stop delivered twice, not a second request: SIGTERM to a
/// process group reaches a local tool from the kernel and again from the <c>dotnet</c> host that launched it, which
/// forwards SIGTERM to its child (<c>dotnet durablegen serve</c> under <c>timeout</c>, a systemd unit, or
/// <c>kill -TERM -pgid</c>). Taken as a second request, it ended the process in the middle of its shutdown.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    /// <summary>How long after the first signal another one still counts as the same stop.</summary>
    internal static readonly TimeSpan SameStopWindow = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;
    private long _firstAt;

    public ShutdownSignal()
    {
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The conventional exit code of a program the signal stopped: 128 + its number (130 for SIGINT, 143 for
    /// SIGTERM); 0 before any.</summary>
    public int ExitCode => Volatile.Read(ref _received);

    private PosixSignalRegistration Register(PosixSignal signal) =>
        PosixSignalRegistration.Create(signal, context =>
        {
            var code = context.Signal == PosixSignal.SIGTERM ? 143 : 130;
            if (Interlocked.CompareExchange(ref _received, code, 0) == 0)
            {
                Volatile.Write(ref _firstAt, Environment.TickCount64);
                context.Cancel = true;
                _cancel.Cancel();
                return;
            }

            // A repeat of the first stop is absorbed; a second request after it gets the default handling, which ends
            // the process. (A repeat racing the first's handler reads _firstAt as 0 and is absorbed too.)
            var first = Volatile.Read(ref _firstAt);
            context.Cancel = first == 0 || Environment.TickCount64 - first < (long)SameStopWindow.TotalMilliseconds;
        });

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }
}
