using System;
using System.Globalization;
using System.IO;

namespace DurableGen.Benchmarks;

/// <summary>
/// The options of <c>--cold-start</c>: <c>--runs K</c> measured rounds (default 20), <c>--warmup W</c> unmeasured
/// rounds first (default 1), <c>--arch x86_64|arm64</c> the architecture to build for (default this machine's; another
/// one is cross-compiled and run under qemu-user), and <c>--sample PATH</c> / <c>--hello PATH</c> to measure
/// bootstraps that are already published (a <c>durablegen package</c> zip's, unzipped) instead of publishing them.
/// </summary>
internal sealed record ColdStartOptions(int Runs, int Warmup, string? Sample, string? Hello, string Architecture)
{
    /// <summary>Reads the options from the program's arguments (<c>--cold-start</c> itself is ignored).</summary>
    public static ColdStartOptions Parse(string[] args)
    {
        var options = new ColdStartOptions(20, 1, null, null, DurableGen.Deployment.CrossToolchain.HostArchitecture);
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
                case "--arch":
                    options = options with { Architecture = Value(args, ++i) is "x86_64" or "arm64" ? args[i] : throw new ArgumentException("--arch takes x86_64 or arm64.") };
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown --cold-start option '{args[i]}' (known: --runs K, --warmup W, --arch x86_64|arm64, --sample PATH, --hello PATH).");
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
