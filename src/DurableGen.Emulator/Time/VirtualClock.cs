using System;
using System.Collections.Generic;
using System.Threading;
using DurableGen.Emulator.Engine;

namespace DurableGen.Emulator.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose time only moves when told to. Hosts that skip time (the test runner, the
/// conformance harness) give it to the engine and to the function, and advance it to the engine's
/// <see cref="DurableExecutionEngine.NextDueTime"/>. Timers created through it fire when the clock is moved past their
/// due time, on the thread that moves the clock.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<VirtualTimer> _timers = new();
    private DateTimeOffset _utcNow;

    /// <summary>Creates a clock that starts at <paramref name="start"/> (default 2026-01-01T00:00:00Z).</summary>
    public VirtualClock(DateTimeOffset? start = null)
    {
        _utcNow = (start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToUniversalTime();
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _utcNow;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward by <paramref name="delta"/> (negative values are rejected).</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "The virtual clock never goes back.");
        }

        SetUtcNow(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock to <paramref name="value"/>; moving it back is a no-op.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_gate)
        {
            if (value <= _utcNow)
            {
                return;
            }

            _utcNow = value.ToUniversalTime();
        }

        FireDueTimers();
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void FireDueTimers()
    {
        while (true)
        {
            VirtualTimer? next = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.Due is { } due && due <= _utcNow && (next is null || due < next.Due))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    return;
                }

                next.Due = next.Period is { } period && period > TimeSpan.Zero ? next.Due + period : null;
                if (next.Due is null)
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }
    }

    private sealed class VirtualTimer : ITimer
    {
        private readonly VirtualClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;

        public VirtualTimer(VirtualClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
        }

        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => _callback(_state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_clock._gate)
            {
                _clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Due = null;
                    return true;
                }

                Due = _clock._utcNow + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                _clock._timers.Add(this);
            }

            // Already due: fire on the thread pool, never inside CreateTimer/Change (callers are not ready yet).
            if (dueTime <= TimeSpan.Zero)
            {
                ThreadPool.QueueUserWorkItem(static clock => clock.FireDueTimers(), _clock, preferLocal: false);
            }

            return true;
        }

        public void Dispose()
        {
            lock (_clock._gate)
            {
                _clock._timers.Remove(this);
                Due = null;
            }
        }

        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
