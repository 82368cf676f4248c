using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace DurableGen.Cli.CommandLine;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM (<c>kill</c>, a container or service manager) as one cancellation: the first one cancels
/// <see cref="Token"/>, and the command stops what it started (function processes, the service, the database) and
/// exits; a second one ends the process at once, for a shutdown that hangs.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

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
            if (Interlocked.CompareExchange(ref _received, code, 0) != 0)
            {
                return; // the second signal: the default handling ends the process
            }

            context.Cancel = true;
            _cancel.Cancel();
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
