using System;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// Everything one in-process invocation of a registered function gets, as a Lambda process would: the envelope (after
/// the wire's JSON round trip), its Lambda context on the host's clock, a service client over the engine, a logger
/// into the host's log sink, and a way to die.
/// </summary>
internal sealed class HostedInvocation
{
    private readonly InvocationFaults _faults;

    internal HostedInvocation(PendingInvocation pending, DurableExecutionInvocationInput input, ILambdaContext lambda,
        IDurableServiceClient client, ILogger logger, TimeProvider clock, int invocationNumber, InvocationFaults faults)
    {
        Pending = pending;
        Input = input;
        Lambda = lambda;
        Client = client;
        Logger = logger;
        Clock = clock;
        InvocationNumber = invocationNumber;
        _faults = faults;
    }

    /// <summary>The invocation the engine began.</summary>
    public PendingInvocation Pending { get; }

    /// <summary>The execution.</summary>
    public string DurableExecutionArn => Pending.DurableExecutionArn;

    /// <summary>The envelope, as the function reads it off the wire.</summary>
    public DurableExecutionInvocationInput Input { get; }

    /// <summary>The Lambda context (request id, function name, remaining time on <see cref="Clock"/>).</summary>
    public ILambdaContext Lambda { get; }

    /// <summary>The service client: the engine through the REST JSON channel, with the host's fault plan.</summary>
    public IDurableServiceClient Client { get; }

    /// <summary>The logger: every record is captured per execution in the host's <see cref="ExecutionLogSink"/>.</summary>
    public ILogger Logger { get; }

    /// <summary>The host's clock.</summary>
    public TimeProvider Clock { get; }

    /// <summary>1 for the first invocation of the execution, then 2, 3 …</summary>
    public int InvocationNumber { get; }

    /// <summary>Whether the process has died (a planned fault fired, or <see cref="Crash"/> was called).</summary>
    public bool HasCrashed => _faults.HasCrashed;

    /// <summary>Kills the process: every later service call fails, and the invocation ends with
    /// <c>Runtime.ExitError</c> whatever the handler returns. Throw the returned exception.</summary>
    public SimulatedCrashException Crash() => _faults.Crash();
}
