using System;
using System.Runtime.CompilerServices;

namespace DurableGen.OpenTelemetry;

/// <summary>
/// "Now" for span times: the execution's clock (virtual in tests), made strictly increasing by at least one tick per
/// reading. A virtual clock stands still within an invocation; without this a child ended at the same instant as its
/// parent would end one tick after it (an <c>Activity</c> of zero duration is stretched to one tick), and a chained
/// target's invocation could not lie strictly between its caller's. One instance per clock, shared by every plugin.
/// </summary>
internal sealed class SpanClock
{
    private static readonly ConditionalWeakTable<TimeProvider, SpanClock> s_clocks = new();

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    private SpanClock(TimeProvider time) => _time = time;

    public static SpanClock For(TimeProvider time) => s_clocks.GetValue(time, static t => new SpanClock(t));

    /// <summary>The current time, later than every earlier reading.</summary>
    public DateTimeOffset Now() => After(_time.GetUtcNow());

    /// <summary><paramref name="time"/>, or just after the last reading when that is later.</summary>
    public DateTimeOffset After(DateTimeOffset time)
    {
        lock (_gate)
        {
            _last = time > _last ? time : _last.AddTicks(1);
            return _last;
        }
    }
}
