using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Time;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// The one loop that drives an engine: fires due timers, begins runnable invocations (one at a time, or
/// <see cref="ExecutionDriverOptions.MaxBeginsPerStep"/> per durable write) and hands them to
/// an <see cref="IInvocationDispatcher"/>, lets <see cref="ITimeParticipant"/>s act at their times, and when nothing
/// can happen now either moves the virtual clock (by its <see cref="TimeSkipPolicy"/>) or waits for a
/// <see cref="Signal"/>. One runaway guard: <see cref="ExecutionDriverOptions.MaxInvocations"/> per run.
/// </summary>
public sealed class ExecutionDriver
{
    /// <summary>The longest single sleep (a timer a year away is slept towards in steps).</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromHours(1);

    private readonly DurableExecutionEngine _engine;
    private readonly IInvocationDispatcher _dispatcher;
    private readonly ExecutionDriverOptions _options;
    private readonly ConcurrentDictionary<string, byte> _executions = new(StringComparer.Ordinal);
    private readonly bool _tracksExecutions;
    private readonly List<ITimeParticipant> _participants = new();
    private readonly SemaphoreSlim _changed = new(0);
    private int _invocationsRun;
    private long _seenVersion = -1;

    /// <summary>Creates a driver.</summary>
    /// <exception cref="ArgumentException">A skipping policy without the <see cref="VirtualClock"/> the engine reads.</exception>
    public ExecutionDriver(DurableExecutionEngine engine, IInvocationDispatcher dispatcher, ExecutionDriverOptions options)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.TimeSkip != TimeSkipPolicy.RealTime && !ReferenceEquals(options.Clock, engine.Clock))
        {
            throw new ArgumentException("Skipping time needs the VirtualClock the engine reads (ExecutionDriverOptions.Clock).",
                nameof(options));
        }

        if (options.MaxInvocations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxInvocations, "MaxInvocations must be at least 1.");
        }

        if (options.MaxBeginsPerStep < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBeginsPerStep, "MaxBeginsPerStep must be at least 1.");
        }

        // The executions it dispatched answer two idle questions (is work in flight, does one wait on an operation
        // timer), and a run on real time that never gives up asks neither: a service would keep every execution it
        // ever ran in a set nobody reads.
        _tracksExecutions = options.TimeSkip != TimeSkipPolicy.RealTime || options.IdleTimeout != Timeout.InfiniteTimeSpan;
    }

    /// <summary>Invocations begun by this driver so far (all runs).</summary>
    public int InvocationsRun => Volatile.Read(ref _invocationsRun);

    /// <summary>Called after each dispatched invocation has been handed over (in process: after it completed). An
    /// exception stops the run and propagates.</summary>
    public Func<PendingInvocation, Task>? Dispatched { get; set; }

    /// <summary>Called after a step fired due timers (a host that answers waiters, as a service's synchronous Invoke,
    /// tells them).</summary>
    public Action? TimersFired { get; set; }

    /// <summary>Tells a waiting run that something outside it changed the engine (a callback was completed, a dispatched
    /// invocation reported its outcome, background work finished).</summary>
    public void Signal()
    {
        // Coalesced: one pending signal already makes the run look again.
        if (_changed.CurrentCount == 0)
        {
            _changed.Release();
        }
    }

    /// <summary><see cref="Signal"/>, unless the engine's <see cref="DurableExecutionEngine.SchedulingVersion"/> is the one
    /// the run last looked at: for a change that rarely matters to scheduling (a checkpoint of a running invocation),
    /// so the run is not woken to find nothing to do.</summary>
    public void SignalIfChanged()
    {
        if (_engine.SchedulingVersion != Volatile.Read(ref _seenVersion))
        {
            Signal();
        }
    }

    /// <summary>The scheduling version the run read before it last looked at the engine (for tests that must know the
    /// run is past that point).</summary>
    internal long SeenSchedulingVersion => Volatile.Read(ref _seenVersion);

    /// <summary>How many executions the run keeps for its idle questions (for tests).</summary>
    internal int TrackedExecutions => _executions.Count;

    /// <summary>Adds an actor that takes part in the time-skip decision; disposing the result removes it.</summary>
    public IDisposable Join(ITimeParticipant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        lock (_participants)
        {
            _participants.Add(participant);
        }

        return new Membership(this, participant);
    }

    /// <summary>
    /// Runs until <paramref name="done"/> holds (checked before every step) and returns true; returns
    /// <paramref name="done"/>'s last answer when nothing can happen any more: no invocation is runnable or in flight,
    /// the policy allows no skip, and no signal arrived within <see cref="ExecutionDriverOptions.IdleTimeout"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run would begin more than
    /// <see cref="ExecutionDriverOptions.MaxInvocations"/> invocations.</exception>
    public async Task<bool> RunUntilAsync(Func<bool> done, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(done);
        var started = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (done())
            {
                return true;
            }

            // Read before the engine's state: a change after this read makes SignalIfChanged wake the wait below.
            Volatile.Write(ref _seenVersion, _engine.SchedulingVersion);
            // And the clock before firing: every timer due by then fires now, so a due time no later than this is one
            // that fired nothing, while a later one (even one past by the time the idle step reads the clock) is not.
            // In whole milliseconds, as the engine reads its clock (its Now): a timer due within this millisecond may
            // not have been due for FireDueTimers.
            var looked = DateTimeOffset.FromUnixTimeMilliseconds(_engine.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (_engine.FireDueTimers() > 0)
            {
                TimersFired?.Invoke();
            }

            if (_engine.HasRunnableExecution)
            {
                if (started >= _options.MaxInvocations)
                {
                    throw new InvalidOperationException(
                        $"The run made more than {_options.MaxInvocations} invocations; the workflow looks like it never finishes.");
                }

                var begun = await _engine.TryBeginInvocationsAsync(Math.Min(_options.MaxBeginsPerStep, _options.MaxInvocations - started))
                    .ConfigureAwait(false);
                foreach (var invocation in begun)
                {
                    started++;
                    Interlocked.Increment(ref _invocationsRun);
                    if (_tracksExecutions)
                    {
                        _executions.TryAdd(invocation.DurableExecutionArn, 0);
                    }

                    await _dispatcher.DispatchAsync(invocation, cancellationToken).ConfigureAwait(false);
                    if (Dispatched is { } dispatched)
                    {
                        await dispatched(invocation).ConfigureAwait(false);
                    }
                }

                continue;
            }

            switch (await IdleStepAsync(looked, cancellationToken).ConfigureAwait(false))
            {
                case Idle.Continue:
                    continue;
                default:
                    return done();
            }
        }
    }

    private enum Idle
    {
        Continue,
        Stop,
    }

    /// <summary>Nothing was runnable when the run <paramref name="looked"/>: act, skip, wait, or give up.</summary>
    private async Task<Idle> IdleStepAsync(DateTimeOffset looked, CancellationToken cancellationToken)
    {
        var now = _engine.Clock.GetUtcNow();
        var (actor, actAt, held) = Participants();
        // A due time no later than the look was offered to FireDueTimers and fired nothing: it must not spin the run.
        var due = _engine.NextDueTime is { } next && next > looked ? next : (DateTimeOffset?)null;
        if (_options.TimeSkip == TimeSkipPolicy.RealTime)
        {
            // Real time moves by itself, so work in flight holds nothing back: other executions' timers and the
            // actors' times (an invocation's timeout) still come due while a function runs elsewhere.
            if (actor is not null && actAt <= now)
            {
                await actor.ActAsync(cancellationToken).ConfigureAwait(false);
                return Idle.Continue;
            }

            // Sleep until the next due time or a signal; give up when that time is further away than IdleTimeout
            // and nothing is in flight that could still change the engine.
            var until = Min(due, actAt) is { } wake ? wake - now : TimeSpan.MaxValue;
            if (until <= TimeSpan.Zero)
            {
                return Idle.Continue; // came due while the run looked
            }

            var infinite = _options.IdleTimeout == Timeout.InfiniteTimeSpan;
            var wait = !infinite && _options.IdleTimeout < until ? _options.IdleTimeout : until;
            var signalled = await _changed.WaitAsync(wait > MaxSleep ? MaxSleep : WholeMilliseconds(wait), cancellationToken)
                .ConfigureAwait(false);
            return signalled || infinite || until <= _options.IdleTimeout || held || InvocationInFlight()
                ? Idle.Continue
                : Idle.Stop;
        }

        // Work in flight may still change the engine: a dispatched invocation, or an actor's background work.
        if (held || InvocationInFlight())
        {
            await _changed.WaitAsync(_options.IdleTimeout, cancellationToken).ConfigureAwait(false);
            return Idle.Continue;
        }

        // Timers first at equal times: the service acts, then the actor.
        var skipTo = due is { } d && (_options.TimeSkip == TimeSkipPolicy.AnyDueTime || WaitsOnOperationTimer()) ? due : null;
        if (skipTo is { } timer && (actAt is null || timer <= actAt))
        {
            _options.Clock!.SetUtcNow(timer);
            return Idle.Continue;
        }

        if (actor is not null)
        {
            if (actAt > now)
            {
                _options.Clock!.SetUtcNow(actAt.Value);
            }

            await actor.ActAsync(cancellationToken).ConfigureAwait(false);
            return Idle.Continue;
        }

        // Nothing to skip to: the executions wait on the outside world (a callback another task may complete). Give it
        // IdleTimeout of wall time, then report the state as it stands.
        return await _changed.WaitAsync(_options.IdleTimeout, cancellationToken).ConfigureAwait(false)
            ? Idle.Continue
            : Idle.Stop;
    }

    private (ITimeParticipant? Actor, DateTimeOffset? ActAt, bool Held) Participants()
    {
        ITimeParticipant? actor = null;
        DateTimeOffset? actAt = null;
        var held = false;
        lock (_participants)
        {
            foreach (var participant in _participants)
            {
                held |= participant.HoldsTime;
                if (participant.NextActionTime is { } at && (actAt is null || at < actAt))
                {
                    (actor, actAt) = (participant, at);
                }
            }
        }

        return (actor, actAt, held);
    }

    private bool InvocationInFlight()
    {
        foreach (var arn in _executions.Keys)
        {
            if (_engine.HasActiveInvocation(arn))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether skipping time would reach an operation's timer rather than only execution timeouts.</summary>
    private bool WaitsOnOperationTimer()
    {
        foreach (var arn in _executions.Keys)
        {
            if (_engine.GetSchedulingState(arn).WaitsOnOperationTimer)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Rounds a sleep up: the wait counts whole milliseconds and truncates, so a run would wake just before
    /// a timer is due and spin through its look until it is.</summary>
    private static TimeSpan WholeMilliseconds(TimeSpan wait) => TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private sealed class Membership(ExecutionDriver driver, ITimeParticipant participant) : IDisposable
    {
        public void Dispose()
        {
            lock (driver._participants)
            {
                driver._participants.Remove(participant);
            }
        }
    }
}
