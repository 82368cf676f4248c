using System;
using DurableGen.Emulator.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableGen.Testing;

/// <summary>Settings of an <see cref="InProcessHost"/>.</summary>
public sealed class InProcessHostOptions
{
    /// <summary>
    /// Skip time (default true): waits, retry delays, callback timeouts and heartbeat timeouts elapse as soon as
    /// nothing else can run, on a virtual clock. When false the host runs on the system clock.
    /// </summary>
    public bool SkipTime { get; init; } = true;

    /// <summary>Where the virtual clock starts (default 2026-01-01T00:00:00Z).</summary>
    public DateTimeOffset StartTime { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The most invocations one run may make before it is stopped as runaway (default 500).</summary>
    public int MaxInvocations { get; init; } = 500;

    /// <summary>
    /// How long (wall clock) a run waits for an external system to complete a callback when nothing else can happen
    /// (default 10 s); after that the run returns with the execution still running.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where workflow logs go, in addition to the captured log of each result.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// The serializer of workflows written in the test and registered without one (default:
    /// <see cref="DurableSerialization.Default"/>; with neither, registering such a workflow throws). Registrations
    /// carry their own. <see cref="DurableTestSerializers.Reflection"/> is the explicit opt-in to reflection-based JSON.
    /// </summary>
    public IDurableSerializer? Serializer { get; init; }

    /// <summary>Instrumentation plugins every hosted durable function runs with.</summary>
    public System.Collections.Generic.IReadOnlyList<IDurableExecutionPlugin> Plugins { get; init; } =
        Array.Empty<IDurableExecutionPlugin>();

    /// <summary>Plans faults per checkpoint request (crash before sending, crash after applying).</summary>
    public Func<CheckpointFaultContext, CheckpointFault>? Faults { get; init; }
}
