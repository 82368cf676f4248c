using System;
using System.Globalization;
using System.IO;

namespace DurableGen.Benchmarks;

/// <summary>
/// The options of <c>--cold-start</c>: <c>--runs K</c> measured rounds (default 20), <c>--warmup W</c> unmeasured
/// rounds first (default 1), and <c>--sample PATH</c> / <c>--hello PATH</c> to measure bootstraps that are already
/// published instead of publishing them.
/// </summary>
internal sealed record ColdStartOptions(int Runs, int Warmup, string? Sample, string? Hello)
{
    /// <summary>Reads the options from the program's arguments (<c>--cold-start</c> itself is ignored).</summary>
    public static ColdStartOptions Parse(string[] args)
    {
        var options = new ColdStartOptions(20, 1, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cold-start":
                    break;
                case "--runs":
                    options = options with { Runs = Count(args, ++i, 1) };
                    break;
                case "--warmup":
                    options = options with { Warmup = Count(args, ++i, 0) };
                    break;
                case "--sample":
                    options = options with { Sample = ExistingFile(args, ++i) };
                    break;
                case "--hello":
                    options = options with { Hello = ExistingFile(args, ++i) };
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown --cold-start option '{args[i]}' (known: --runs K, --warmup W, --sample PATH, --hello PATH).");
            }
        }

        return options;
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Count(string[] args, int i, int minimum) =>
        int.TryParse(Value(args, i), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum
            ? n
            : throw new ArgumentException($"{args[i - 1]} needs a whole number of at least {minimum}, not '{args[i]}'.");

    private static string ExistingFile(string[] args, int i) =>
        File.Exists(Value(args, i))
            ? Path.GetFullPath(args[i])
            : throw new ArgumentException($"{args[i - 1]}: no file at '{args[i]}'.");
}
