using System;
using System.Collections.Generic;

namespace DurableGen.Cli;

/// <summary>Positional arguments and <c>--name value</c> / <c>--flag</c> options (<c>-c</c> is
/// <c>--configuration</c>, as in <c>dotnet build</c>).</summary>
internal sealed class Args
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "json", "sync", "help", "keep", "no-build" };
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 ? arg[2..eq] : arg[2..];
                if (eq > 0)
                {
                    _options[name] = arg[(eq + 1)..];
                }
                else if (Flags.Contains(name))
                {
                    _options[name] = "true";
                }
                else if (e.MoveNext())
                {
                    _options[name] = e.Current;
                }
                else
                {
                    throw new CliException($"--{name} needs a value.");
                }
            }
            else if (arg == "-h")
            {
                _options["help"] = "true";
            }
            else if (arg == "-c")
            {
                _options["configuration"] = e.MoveNext() ? e.Current : throw new CliException("-c needs a configuration.");
            }
            else
            {
                Positional.Add(arg);
            }
        }
    }

    public List<string> Positional { get; } = new();

    public string? Option(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public bool Flag(string name) => _options.ContainsKey(name);

    public int IntOption(string name, int fallback)
    {
        var value = Option(name);
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, out var parsed) && parsed >= 0
            ? parsed
            : throw new CliException($"--{name} must be a non-negative integer, not '{value}'.");
    }

    public string Required(int index, string what) =>
        Positional.Count > index ? Positional[index] : throw new CliException($"Missing {what}.");

    public void ExpectNoMorePositional(int count)
    {
        if (Positional.Count > count)
        {
            throw new CliException($"Unexpected argument '{Positional[count]}'.");
        }
    }
}
