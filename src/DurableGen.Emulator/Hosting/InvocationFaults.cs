using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// The fault plan of one invocation: once it crashes, every later call fails too, as in a dead process. A request is
/// planned once, at its first attempt; the HTTP client's retries of it (the same <c>ClientToken</c>) go through.
/// </summary>
internal sealed class InvocationFaults(int invocationNumber, Func<CheckpointFaultContext, CheckpointFault>? plan)
{
    private readonly ConcurrentQueue<Task> _redeliveries = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _checkpoints;
    private int _crashed;
    private string? _lastClientToken;

    /// <summary>Whether a plan exists (its requests then go through the runtime's HTTP client).</summary>
    public bool IsPlanned => plan is not null;

    public int InvocationNumber => invocationNumber;

    public bool HasCrashed => Volatile.Read(ref _crashed) == 1;

    /// <summary>Invocations of the same execution this one's duplicate-delivery faults started; they run concurrently.</summary>
    public IEnumerable<Task> Redeliveries => _redeliveries;

    /// <summary>Service answers that broke the protocol under a fault (a fenced invocation's checkpoint applied).</summary>
    public IEnumerable<string> Violations => _violations;

    public CheckpointFault BeforeCheckpoint(CheckpointDurableExecutionRequest request)
    {
        if (HasCrashed)
        {
            return CheckpointFault.CrashBeforeSending;
        }

        // A retry repeats the client token: it is the same request, already planned.
        if (request.ClientToken is { } clientToken)
        {
            if (string.Equals(Interlocked.Exchange(ref _lastClientToken, clientToken), clientToken, StringComparison.Ordinal))
            {
                return CheckpointFault.None;
            }
        }

        var number = Interlocked.Increment(ref _checkpoints);
        return plan?.Invoke(new CheckpointFaultContext(invocationNumber, number, request)) ?? CheckpointFault.None;
    }

    public SimulatedCrashException Crash()
    {
        Volatile.Write(ref _crashed, 1);
        return new SimulatedCrashException();
    }

    public void Redelivered(Task invocation) => _redeliveries.Enqueue(invocation);

    public void Violated(string message) => _violations.Enqueue(message);
}
