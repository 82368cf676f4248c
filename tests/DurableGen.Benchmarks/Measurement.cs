using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DurableGen.Benchmarks;

/// <summary>What every non-BenchmarkDotNet mode reports its runs with: medians, nearest-rank percentiles, the
/// machine's load, and <c>--name value</c> options.</summary>
internal static class Measurement
{
    /// <summary>The median (the mean of the two middle values for an even count); NaN when there are none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The nearest-rank percentile of ascending <paramref name="sorted"/>: an observed value, not an
    /// interpolation (with 20 runs the p90 is the 18th); NaN when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The 1-, 5- and 15-minute load averages (the timing columns are only as good as the load was low).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The value after <c>--name</c>, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>A positive whole number after <c>--name</c>, or <paramref name="fallback"/> when the option is absent;
    /// anything else is an <see cref="ArgumentException"/>.</summary>
    public static int PositiveOption(string[] args, string name, int fallback) =>
        Option(args, name) is not { } text ? fallback
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"{name} needs a positive whole number, not '{text}'.");

    /// <summary>A soak's <c>--seed</c>, or a fresh one to print, so any run can be repeated.</summary>
    public static ulong Seed(string[] args) =>
        Option(args, "--seed") is { } given
            ? ulong.Parse(given, System.Globalization.CultureInfo.InvariantCulture)
            : (ulong)Random.Shared.NextInt64(1, int.MaxValue);

    /// <summary>A soak's time budget from <c>--minutes</c>; infinite when absent.</summary>
    public static TimeSpan Budget(string[] args) =>
        Option(args, "--minutes") is { } minutes
            ? TimeSpan.FromMinutes(double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture))
            : System.Threading.Timeout.InfiniteTimeSpan;
}
