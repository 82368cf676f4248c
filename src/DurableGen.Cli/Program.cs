using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Linq;
using System.Net.Http;
using DurableGen.Protocol;
using Spectre.Console;

using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Formatting;
// Exit codes: 0 success; 1 the execution or the service failed; 2 a usage error (unknown option, bad value, a
// project that cannot run); 130/143 stopped by SIGINT/SIGTERM before finishing (serve, whose only end is a signal,
// exits 0 after a clean stop).
using var shutdown = new ShutdownSignal();
var cli = new CliContext(Terminal.Create(), shutdown);
var root = new DurablegenCommand(cli);

// No response files: `--input @order.json` is the input's file, not more arguments.
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (args.Length == 0)
{
    root.Parse("--help").Invoke();
    return 2;
}

if (parse.Action is ParseErrorAction)
{
    // "Required command was not provided" says nothing more when a word was not understood.
    var unmatched = parse.UnmatchedTokens;
    var errors = parse.Errors.Where(e => unmatched.Count == 0 || e.SymbolResult is not CommandResult { Command: RootCommand }
                                                              || unmatched.Any(t => e.Message.Contains(t, StringComparison.Ordinal)));
    foreach (var error in errors)
    {
        cli.Terminal.Fail(error.Message);
    }

    var command = parse.CommandResult.Command;
    cli.Terminal.Error.WriteLine(
        $"Run `durablegen {(command == root ? "" : FullName(command) + " ")}--help` for usage.");
    return 2;
}

try
{
    // The signals are ShutdownSignal's, and errors are printed below, without stack traces.
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (CliException ex)
{
    cli.Terminal.Fail(ex.Message);
    return 2;
}
catch (DurableServiceException ex)
{
    // An AWS error the service answered: printed without a stack trace.
    cli.Terminal.Fail($"{ex.ErrorCode} ({ex.StatusCode}): {ex.Message}");
    return 1;
}
catch (HttpRequestException ex)
{
    cli.Terminal.Fail($"Cannot reach the durable execution service: {ex.Message}. Start it with `durablegen serve` or pass --endpoint.");
    return 2;
}
catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
{
    return shutdown.ExitCode;
}

static string FullName(Command command) =>
    command.Parents.OfType<Command>().FirstOrDefault() is { } parent and not RootCommand
        ? FullName(parent) + " " + command.Name
        : command.Name;
