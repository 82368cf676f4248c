using System;

namespace DurableGen.Cli.CommandLine;

/// <summary>A user-facing error: printed without a stack trace, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
