using DurableGen.Cli.Formatting;

namespace DurableGen.Cli.CommandLine;

/// <summary>What every command uses: the terminal it writes to and the shutdown signal it stops on.</summary>
internal sealed record CliContext(Terminal Terminal, ShutdownSignal Shutdown);
