using System;
using DurableGen.Emulator.Time;

namespace DurableGen.Emulator.Hosting;

/// <summary>Settings of an <see cref="ExecutionDriver"/>.</summary>
public sealed class ExecutionDriverOptions
{
    /// <summary>When the driver may move the clock instead of waiting (default <see cref="TimeSkipPolicy.RealTime"/>).</summary>
    public TimeSkipPolicy TimeSkip { get; init; } = TimeSkipPolicy.RealTime;

    /// <summary>The virtual clock the engine reads; required by every policy but <see cref="TimeSkipPolicy.RealTime"/>.</summary>
    public VirtualClock? Clock { get; init; }

    /// <summary>The runaway guard: the most invocations one run may begin (default 500).</summary>
    public int MaxInvocations { get; init; } = 500;

    /// <summary>
    /// The most invocations the driver begins in one step, in one engine request and so one durable write (default 1).
    /// A host whose dispatch only queues the work (a service with several sandboxes) raises it, so that N runnable
    /// executions cost one write, not N writes one after another; a host that runs each invocation to its end inside
    /// dispatch keeps 1, so every invocation begins from the state its predecessors left.
    /// </summary>
    public int MaxBeginsPerStep { get; init; } = 1;

    /// <summary>
    /// How long (wall clock) a run waits for a signal when nothing else can happen before it returns
    /// (default 10 s; <see cref="TimeSpan.Zero"/>: return at once; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>:
    /// never, as a service does).
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
