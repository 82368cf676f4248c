using System;
using System.Collections.Generic;
using System.Linq;

namespace DurableGen.LocalService.Dashboard;

/// <summary>
/// The time axis of an execution's timeline: real time while a function runs, and each long stretch where no
/// invocation runs (a wait, a callback, a retry delay: the service waiting, however long) squeezed to a fixed width and
/// marked as a break, so a one-year wait does not squash the seconds of work around it. Positions are fractions of
/// the axis width (0 = the execution's start, 1 = its end, or now while it runs).
/// </summary>
internal sealed class TimeAxis
{
    /// <summary>Idle stretches up to this long are drawn to scale.</summary>
    private const double LongIdleMs = 1000;

    private readonly List<Piece> _pieces = new();
    private readonly double _units;

    /// <param name="start">The execution's start.</param>
    /// <param name="end">Its end, or now.</param>
    /// <param name="busy">When functions ran (invocations), in any order, possibly overlapping.</param>
    public TimeAxis(DateTimeOffset start, DateTimeOffset end, IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> busy)
    {
        Start = start;
        var total = Math.Max(1, (end - start).TotalMilliseconds);
        var merged = new List<(double Start, double End)>();
        foreach (var (s, e) in busy.Select(b => (Clamp((b.Start - start).TotalMilliseconds, total), Clamp((b.End - start).TotalMilliseconds, total)))
                     .Where(b => b.Item2 >= b.Item1).OrderBy(b => b.Item1))
        {
            if (merged.Count > 0 && s <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, e));
            }
            else
            {
                merged.Add((s, e));
            }
        }

        var cursor = 0.0;
        var stretches = new List<(double Start, double End, bool Idle)>();
        foreach (var (s, e) in merged)
        {
            if (s > cursor)
            {
                stretches.Add((cursor, s, true));
            }

            stretches.Add((s, e, false));
            cursor = e;
        }

        if (cursor < total)
        {
            stretches.Add((cursor, total, true));
        }

        var drawn = stretches.Sum(p => p.Idle && p.End - p.Start > LongIdleMs ? 0 : p.End - p.Start);
        // A break is an eighth as wide as what is drawn to scale: visible as a gap, whatever the length of the work.
        var breakUnits = Math.Max(drawn, 1) / 8;
        // An invocation is never drawn narrower than two breaks: one that took a millisecond next to one that took a
        // second must still read as a band, not vanish beside the gap that stands for hours.
        var minimumBusyUnits = 2 * breakUnits;
        var units = 0.0;
        foreach (var (s, e, idle) in stretches)
        {
            var broken = idle && e - s > LongIdleMs && e - s > breakUnits;
            var width = broken ? breakUnits : idle ? e - s : Math.Max(e - s, minimumBusyUnits);
            _pieces.Add(new Piece(s, e, units, width, broken));
            units += width;
        }

        _units = Math.Max(1, units);
    }

    /// <summary>The time at position 0.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Where <paramref name="time"/> falls, 0..1.</summary>
    public double X(DateTimeOffset time)
    {
        var ms = (time - Start).TotalMilliseconds;
        foreach (var piece in _pieces)
        {
            if (ms <= piece.End)
            {
                return At(piece, ms, whenEmpty: 0);
            }
        }

        return 1;
    }

    /// <summary>Where a span that ends at <paramref name="time"/> ends, 0..1: <see cref="X"/>, except that a span that
    /// takes no time (an invocation within one millisecond) ends at the end of its own piece, which is drawn at least two
    /// breaks wide, rather than where that piece starts.</summary>
    public double EndX(DateTimeOffset time)
    {
        var ms = (time - Start).TotalMilliseconds;
        for (var i = _pieces.Count - 1; i >= 0; i--)
        {
            var piece = _pieces[i];
            if (ms >= piece.Start)
            {
                return At(piece, ms, whenEmpty: 1);
            }
        }

        return 0;
    }

    /// <summary>The squeezed stretches, for the page to mark.</summary>
    public IReadOnlyList<TimelineBreak> Breaks => _pieces.Where(p => p.Broken).Select(p => new TimelineBreak
    {
        X = Round(p.Units / _units),
        Width = Round(p.Width / _units),
        HiddenMs = (long)Math.Round(p.End - p.Start),
    }).ToList();

    /// <summary>The position of <paramref name="ms"/> in <paramref name="piece"/>; a piece that spans no time places
    /// everything at <paramref name="whenEmpty"/> of its width (0 its start, 1 its end).</summary>
    private double At(Piece piece, double ms, double whenEmpty)
    {
        var within = piece.End > piece.Start ? Math.Clamp((ms - piece.Start) / (piece.End - piece.Start), 0, 1) : whenEmpty;
        return Round((piece.Units + within * piece.Width) / _units);
    }

    private static double Clamp(double ms, double total) => Math.Clamp(ms, 0, total);

    private static double Round(double x) => Math.Round(x, 5);

    private readonly record struct Piece(double Start, double End, double Units, double Width, bool Broken);
}
